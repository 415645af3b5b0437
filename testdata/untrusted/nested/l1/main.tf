module "l2" {
  source = "../l2"
  count  = 100
}
