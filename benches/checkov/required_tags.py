"""checkov custom check equivalent to costgate's built-in `required-tags` default: every
taggable resource (one with a `tags` argument) carries the tag keys `team` and `owner`, counting
provider default tags (`tags_all`). Used by benches/peers.py only."""
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

REQUIRED = ("team", "owner")


class RequiredTags(BaseResourceCheck):
    def __init__(self):
        super().__init__(
            name="Taggable resources carry the tags team and owner",
            id="CKV_COSTGATE_1",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_*", "google_*", "azurerm_*"],
        )

    def scan_resource_conf(self, conf):
        if "tags" not in conf and "tags_all" not in conf:
            return CheckResult.UNKNOWN  # not taggable: not judged, like costgate
        tags = {}
        for key in ("tags_all", "tags"):
            value = conf.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            if isinstance(value, dict):
                tags.update(value)
        if all(k in tags for k in REQUIRED):
            return CheckResult.PASSED
        return CheckResult.FAILED


check = RequiredTags()
