# aws_opensearch family fixture: a domain with 3 data nodes, 3 dedicated masters, UltraWarm and
# gp3 volumes; an Elasticsearch domain (type priced as its .search twin); a serverless
# collection (the 2-OCU minimum). Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_opensearch

resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  cluster_config {
    instance_type            = "r6g.large.search"
    instance_count           = 3
    dedicated_master_enabled = true
    dedicated_master_type    = "m6g.large.search"
    dedicated_master_count   = 3
    zone_awareness_enabled   = true
    warm_enabled             = true
    warm_type                = "ultrawarm1.medium.search"
    warm_count               = 2
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 100
    volume_type = "gp3"
  }
}

resource "aws_elasticsearch_domain" "legacy" {
  domain_name           = "legacy"
  elasticsearch_version = "7.10"

  cluster_config {
    instance_type  = "r5.large.elasticsearch"
    instance_count = 2
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 50
  }
}

resource "aws_opensearchserverless_collection" "vectors" {
  name = "vectors"
  type = "VECTORSEARCH"
}
