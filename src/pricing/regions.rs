//! Does a region exist? A resource whose region is misspelled (`us-east-7`, `westeurop`) would
//! otherwise come out "no price in region" or, worse, priced in the nearest region: it is an
//! error (exit 2) with a did-you-mean. A region exists when a catalog has it or it is in the
//! cloud's published region list below (regions without prices yet are real, not typos).

use crate::error::Result;
use crate::project::Project;

use super::Catalogs;

/// Published regions (AWS: commercial, GovCloud, China; Azure: location names; GCP: regions,
/// multi-regions and predefined dual-regions as `input::common::gcp_region_of` names them).
const KNOWN: &[(&str, &[&str])] = &[
    (
        "aws",
        &[
            "global",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-7",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-south-1",
            "eu-south-2",
            "eu-north-1",
            "il-central-1",
            "me-south-1",
            "me-central-1",
            "mx-central-1",
            "sa-east-1",
            "us-gov-east-1",
            "us-gov-west-1",
            "cn-north-1",
            "cn-northwest-1",
        ],
    ),
    (
        "azure",
        &[
            "global",
            "eastus",
            "eastus2",
            "centralus",
            "northcentralus",
            "southcentralus",
            "westcentralus",
            "westus",
            "westus2",
            "westus3",
            "canadacentral",
            "canadaeast",
            "brazilsouth",
            "brazilsoutheast",
            "mexicocentral",
            "chilecentral",
            "northeurope",
            "westeurope",
            "uksouth",
            "ukwest",
            "francecentral",
            "francesouth",
            "germanywestcentral",
            "germanynorth",
            "switzerlandnorth",
            "switzerlandwest",
            "norwayeast",
            "norwaywest",
            "swedencentral",
            "swedensouth",
            "polandcentral",
            "italynorth",
            "spaincentral",
            "austriaeast",
            "belgiumcentral",
            "denmarkeast",
            "eastasia",
            "southeastasia",
            "japaneast",
            "japanwest",
            "koreacentral",
            "koreasouth",
            "centralindia",
            "southindia",
            "westindia",
            "jioindiacentral",
            "jioindiawest",
            "australiaeast",
            "australiasoutheast",
            "australiacentral",
            "australiacentral2",
            "newzealandnorth",
            "indonesiacentral",
            "malaysiawest",
            "uaenorth",
            "uaecentral",
            "qatarcentral",
            "israelcentral",
            "southafricanorth",
            "southafricawest",
            "usgovvirginia",
            "usgovarizona",
            "usgovtexas",
            "chinaeast2",
            "chinanorth2",
            "chinanorth3",
        ],
    ),
    (
        "gcp",
        &[
            "global",
            "us-multi",
            "europe-multi",
            "asia-multi",
            "nam4",
            "eur4",
            "eur5",
            "eur7",
            "eur8",
            "asia1",
            "us-central1",
            "us-east1",
            "us-east4",
            "us-east5",
            "us-south1",
            "us-west1",
            "us-west2",
            "us-west3",
            "us-west4",
            "northamerica-northeast1",
            "northamerica-northeast2",
            "northamerica-south1",
            "southamerica-east1",
            "southamerica-west1",
            "europe-central2",
            "europe-north1",
            "europe-north2",
            "europe-southwest1",
            "europe-west1",
            "europe-west2",
            "europe-west3",
            "europe-west4",
            "europe-west6",
            "europe-west8",
            "europe-west9",
            "europe-west10",
            "europe-west12",
            "me-central1",
            "me-central2",
            "me-west1",
            "africa-south1",
            "asia-east1",
            "asia-east2",
            "asia-northeast1",
            "asia-northeast2",
            "asia-northeast3",
            "asia-south1",
            "asia-south2",
            "asia-southeast1",
            "asia-southeast2",
            "asia-southeast3",
            "australia-southeast1",
            "australia-southeast2",
        ],
    ),
];

/// The regions of `cloud` that exist: its catalog's and the published list.
fn existing<'a>(catalogs: &'a Catalogs, cloud: &str) -> Vec<&'a str> {
    let mut v = catalogs.region_names(cloud);
    if let Some((_, list)) = KNOWN.iter().find(|(c, _)| *c == cloud) {
        v.extend(list.iter().copied());
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// Refuse a resource region (or `--region`) no cloud has, naming the closest existing one.
pub fn check(project: &Project, catalogs: &Catalogs, default_region: Option<&str>) -> Result<()> {
    if let Some(r) = default_region {
        let all: Vec<&str> = ["aws", "azure", "gcp"]
            .iter()
            .flat_map(|c| existing(catalogs, c))
            .collect();
        if !all.iter().any(|x| x.eq_ignore_ascii_case(r)) {
            return Err(miette::miette!(
                code = crate::error::Code::InputRegion,
                help = did_you_mean(r, &all),
                "--region {r}: no cloud has a region of that name"
            ));
        }
    }
    for res in &project.resources {
        let Some(region) = res.region.as_deref() else {
            continue;
        };
        let cloud = super::cloud_of_provider(&res.provider);
        if !matches!(cloud, "aws" | "azure" | "gcp") {
            continue;
        }
        let known = existing(catalogs, cloud);
        // AWS Local Zones and Wavelength zones keep their own names (`us-west-2-lax-1`).
        let local_zone =
            cloud == "aws" && known.iter().any(|k| region.starts_with(&format!("{k}-")));
        if known.iter().any(|k| k.eq_ignore_ascii_case(region)) || local_zone {
            continue;
        }
        let at = res
            .source
            .as_ref()
            .map(|s| format!(" ({}:{})", s.file, s.line))
            .unwrap_or_default();
        return Err(miette::miette!(
            code = crate::error::Code::InputRegion,
            help = did_you_mean(region, &known),
            "{}{at}: region `{region}` does not exist in {cloud}",
            res.address
        ));
    }
    Ok(())
}

fn did_you_mean(region: &str, known: &[&str]) -> String {
    let lower = region.to_ascii_lowercase();
    let best = known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .min();
    match best {
        Some((d, k)) if d <= 3 => format!("did you mean `{k}`?"),
        _ => "check the region name (the provider's `region`/`location`, a zone, or --region)"
            .to_string(),
    }
}

/// Levenshtein distance (regions are short ASCII names).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let aws = KNOWN[0].1;
        assert_eq!(did_you_mean("us-east-7", aws), "did you mean `us-east-1`?");
        assert_eq!(
            did_you_mean("westeurop", KNOWN[1].1),
            "did you mean `westeurope`?"
        );
    }
}
