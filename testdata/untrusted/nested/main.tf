# 10 x 100 x 1000 = one million instances.
module "l1" {
  source = "./l1"
  count  = 10
}
