# the node count

desired = "2"
