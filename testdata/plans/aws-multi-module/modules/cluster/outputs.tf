output "instance_ids" {
  value = module.node[*].instance_id
}
