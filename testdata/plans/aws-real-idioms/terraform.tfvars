desired = "2"
