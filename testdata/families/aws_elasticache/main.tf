# aws_elasticache family fixture: a Memcached cluster of 2 nodes, a Redis replication group
# (2 node groups × (1 + 1 replica) = 4 nodes), a Valkey group by num_cache_clusters, a member
# cluster of a group (billed on the group) and a serverless cache (minimum storage).
# Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_elasticache

resource "aws_elasticache_cluster" "memcached" {
  cluster_id      = "sessions"
  engine          = "memcached"
  node_type       = "cache.r6g.large"
  num_cache_nodes = 2
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id    = "cache"
  description             = "app cache"
  engine                  = "redis"
  node_type               = "cache.r6g.large"
  num_node_groups         = 2
  replicas_per_node_group = 1
}

resource "aws_elasticache_replication_group" "valkey" {
  replication_group_id = "valkey"
  description          = "valkey"
  engine               = "valkey"
  node_type            = "cache.r6g.large"
  num_cache_clusters   = 2
}

resource "aws_elasticache_cluster" "member" {
  cluster_id           = "cache-extra"
  replication_group_id = aws_elasticache_replication_group.redis.id
}

resource "aws_elasticache_serverless_cache" "sls" {
  engine = "valkey"
  name   = "sls"
}
