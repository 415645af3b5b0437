env   = "staging"
owner = "ml-research@example.com"

clusters = {
  vision = {
    node_count      = 2
    scratch_size_gb = 1000
  }
  nlp = {
    node_count      = 1
    scratch_size_gb = 500
  }
}

notebook_users = ["alice", "bob"]

extra_tags = {
  cost_center = "cc-4242"
}
