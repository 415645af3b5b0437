//! Savings facts: what a resource would cost under a cheaper, common alternative, computed from
//! its priced components and the catalogs (exact decimals, rounded to cents). The built-in
//! `savings-*` policies read them from the input document (`resources[i].savings`) and decide
//! which to advise; nothing here judges whether an alternative fits.
//!
//! * **spot**: GPU capacity on demand (the pools that run GPUs, for resources that price
//!   several pools) → the catalog's spot price, else on-demand less the spot
//!   discount of the usage file (the documented 60 % default); `spot_basis` says which.
//! * **gp3**: gp2 EBS storage → gp3 at the region's prices, plus the gp3 IOPS that match the
//!   gp2 baseline (3 IOPS/GB, at most 16,000) above gp3's included 3,000. Throughput stays at
//!   gp3's included 125 MB/s.
//! * **min_zero**: a GPU pool whose minimum is above 0 → `min × node hourly × 730` saved when
//!   idle at its floor.
//! * **smallest_notebook**: an interactive GPU resource → the cheapest GPU type of the same
//!   family in the catalog (`ml.g5.12xlarge` → `ml.g5.xlarge`, `a2-highgpu-4g` →
//!   `a2-highgpu-1g`, `Standard_NC48ads_A100_v4` → `Standard_NC24ads_A100_v4`), or one attached
//!   GPU instead of several (GCP N1 `guest_accelerator`).
//! * **scheduled**: interactive or GPU resources → their hour-based cost at a schedule of
//!   `hours` a month instead of their current hours ([`Savings::schedule`], once the policy
//!   config says how many hours).

use crate::money::{cents, Decimal, HOURS_PER_MONTH};
use crate::pricing::{cloud_of_provider, Catalogs};
use crate::resources::{default_region, Component, Ctx, GpuFacts};

use super::ResourceEstimate;

/// Price-key prefixes of compute sold by the hour, with their spot counterparts.
const SPOT_OF: &[(&str, &str)] = &[
    ("ec2/", "ec2-spot/"),
    ("gce/", "gce-spot/"),
    ("gpu/", "gpu-spot/"),
    ("vm/", "vm-spot/"),
];

/// Price-key prefixes of per-node compute (either pricing).
const NODE_PREFIXES: &[&str] = &[
    "ec2/",
    "ec2-spot/",
    "gce/",
    "gce-spot/",
    "gpu/",
    "gpu-spot/",
    "vm/",
    "vm-spot/",
];

/// Price-key prefixes of notebook compute (besides [`NODE_PREFIXES`]).
const NOTEBOOK_PREFIXES: &[&str] = &["sagemaker-notebook/", "sagemaker-studio/"];

const GP2_STORAGE: &str = "ebs/gp2/storage";

/// gp2 baseline: 3 IOPS per GB, at most 16,000; gp3 includes 3,000.
const GP2_IOPS_PER_GB: Decimal = Decimal::from_parts(3, 0, 0, false, 0);
const GP2_MAX_IOPS: Decimal = Decimal::from_parts(16_000, 0, 0, false, 0);
const GP3_INCLUDED_IOPS: Decimal = Decimal::from_parts(3_000, 0, 0, false, 0);

/// Savings facts of one resource (after the change). Money is rounded to cents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Savings {
    /// On-demand GPU capacity at spot prices.
    pub spot: Option<Decimal>,
    /// `catalog` (spot prices from the catalog) or `assumed-discount`.
    pub spot_basis: Option<&'static str>,
    /// The discount assumed (`assumed-discount`), and whether the usage file set it (else it
    /// is costgate's default).
    pub spot_discount: Option<(Decimal, bool)>,
    /// gp2 volumes as gp3.
    pub gp3: Option<Decimal>,
    /// The pool's minimum nodes at 0.
    pub min_zero: Option<Decimal>,
    /// The cheapest GPU type of the same family, and the saving.
    pub smallest_notebook: Option<(String, Decimal)>,
    /// The notebook's current machine type (for the policy's allowed list).
    pub notebook_type: Option<String>,
    /// Monthly cost of the hour-based compute (unrounded) and the hours it assumes.
    pub hourly_cost: Option<(Decimal, Decimal)>,
    /// Saved by running `scheduled_hours` a month instead (set by [`Savings::schedule`]).
    pub scheduled: Option<Decimal>,
    pub scheduled_hours: Option<Decimal>,
}

impl Savings {
    /// Anything to advise on?
    pub fn is_empty(&self) -> bool {
        self.spot.is_none()
            && self.gp3.is_none()
            && self.min_zero.is_none()
            && self.smallest_notebook.is_none()
            && self.scheduled.is_none()
    }
}

/// The savings facts of a priced resource that exists after the change.
pub fn of(e: &ResourceEstimate, ctx: &Ctx) -> Savings {
    let gpu = e.gpu.as_ref().filter(|g| !g.potential);
    let interactive = e.idle.as_ref().is_some_and(|i| i.interactive);
    let gp2 = e.components.iter().any(|c| c.price_key == GP2_STORAGE);
    if !e.is_priced() || !e.action.has_after() || !(gp2 || interactive || gpu.is_some()) {
        return Savings::default();
    }
    let cloud = cloud_of_provider(&e.provider);
    let region = e
        .region
        .clone()
        .unwrap_or_else(|| default_region(cloud).to_string());
    let p = Pricing {
        catalogs: ctx.catalogs,
        cloud,
        region: &region,
        rtype: &e.rtype,
    };
    let mut s = Savings {
        gp3: gp3(&e.components, &p),
        ..Savings::default()
    };
    if gpu.is_none() && !interactive {
        return s;
    }
    let hours = ctx
        .usage
        .get(&e.address, &e.rtype, "monthly_hours")
        .unwrap_or(HOURS_PER_MONTH);
    if let Some(g) = gpu {
        gpu_savings(&mut s, e, g, ctx, &p, hours);
        if interactive {
            s.smallest_notebook = smallest_notebook(&e.components, &p, g.per_node);
            if s.smallest_notebook.is_some() {
                s.notebook_type = machine_component(&e.components)
                    .and_then(|c| c.price_key.split_once('/'))
                    .map(|(_, t)| t.to_string());
            }
        }
    }
    let monthly =
        sum_monthly(&e.components, NODE_PREFIXES) + sum_monthly(&e.components, NOTEBOOK_PREFIXES);
    if monthly > Decimal::ZERO {
        s.hourly_cost = Some((monthly, hours));
    }
    s
}

/// Spot and min-zero savings of GPU capacity.
fn gpu_savings(
    s: &mut Savings,
    e: &ResourceEstimate,
    g: &GpuFacts,
    ctx: &Ctx,
    p: &Pricing,
    hours: Decimal,
) {
    let nodes = gpu_nodes(&e.components, p);
    if !g.spot {
        let discount = ctx
            .usage
            .get(&e.address, &e.rtype, "spot_discount")
            .unwrap_or(ctx.usage.spot_discount());
        if let Some((saving, basis)) = spot(&nodes, p, discount) {
            s.spot = Some(saving);
            s.spot_basis = Some(basis);
            if basis == "assumed-discount" {
                let given = ctx.usage.spot_discount_given(&e.address, &e.rtype);
                s.spot_discount = Some((discount, given));
            }
        }
    }
    if g.nodes_min > 0 && g.nodes_desired > 0 && hours > Decimal::ZERO {
        let node_monthly =
            sum_monthly(&nodes, NODE_PREFIXES) / Decimal::from(g.nodes_desired) / hours
                * HOURS_PER_MONTH;
        s.min_zero = positive(node_monthly * Decimal::from(g.nodes_min));
    }
}

impl Savings {
    /// Fill in the scheduled saving for running `hours` a month.
    pub fn schedule(&mut self, hours: Decimal) {
        self.scheduled = self
            .hourly_cost
            .filter(|(_, current)| *current > hours && *current > Decimal::ZERO)
            .and_then(|(monthly, current)| positive(monthly - monthly * hours / current));
        self.scheduled_hours = self.scheduled.map(|_| hours);
    }
}

struct Pricing<'a> {
    catalogs: &'a Catalogs,
    cloud: &'a str,
    region: &'a str,
    rtype: &'a str,
}

impl Pricing<'_> {
    /// The unit price of an alternative: what this organisation pays for it when a price book
    /// is in use (the components compared with it are at the book's prices too).
    fn price(&self, key: &str) -> Option<Decimal> {
        let list = self
            .catalogs
            .price(self.cloud, self.region, key)
            .ok()
            .and_then(|p| p.entry.price)?;
        Some(match self.catalogs.book.as_deref() {
            None => list,
            Some(b) => b.effective_unit(
                &crate::book::Item {
                    cloud: self.cloud,
                    rtype: self.rtype,
                    key,
                    region: Some(self.region),
                },
                list,
            ),
        })
    }
}

fn positive(d: Decimal) -> Option<Decimal> {
    let d = cents(d);
    (d > Decimal::ZERO).then_some(d)
}

fn hourly(c: &Component) -> bool {
    c.unit == "hours"
}

fn sum_monthly(components: &[Component], prefixes: &[&str]) -> Decimal {
    components
        .iter()
        .filter(|c| hourly(c) && prefixes.iter().any(|p| c.price_key.starts_with(p)))
        .map(|c| c.monthly_cost)
        .sum()
}

/// The node compute of the pools that run GPUs. Components of a resource that prices several
/// pools (a GKE cluster's inline pools) are named `pool <name>: …`; a pool runs GPUs when it
/// has an attached GPU component or its machine type has GPUs.
fn gpu_nodes(components: &[Component], p: &Pricing) -> Vec<Component> {
    fn pool(c: &Component) -> &str {
        c.name.split_once(": ").map_or("", |(pool, _)| pool)
    }
    let node =
        |c: &&Component| hourly(c) && NODE_PREFIXES.iter().any(|x| c.price_key.starts_with(x));
    let gpu_pools: Vec<&str> = components
        .iter()
        .filter(node)
        .filter(|c| {
            c.price_key.starts_with("gpu")
                || c.price_key
                    .split_once('/')
                    .is_some_and(|(_, t)| has_gpu(p, t))
        })
        .map(pool)
        .collect();
    components
        .iter()
        .filter(node)
        .filter(|c| gpu_pools.contains(&pool(c)))
        .cloned()
        .collect()
}

/// On-demand hourly compute at spot prices: (saving, basis).
fn spot(
    components: &[Component],
    p: &Pricing,
    discount: Decimal,
) -> Option<(Decimal, &'static str)> {
    let mut saving = Decimal::ZERO;
    let mut assumed = false;
    let mut any = false;
    for c in components.iter().filter(|c| hourly(c)) {
        let Some((od, sp)) = SPOT_OF.iter().find(|(od, _)| c.price_key.starts_with(od)) else {
            continue;
        };
        let spot_key = format!("{sp}{}", &c.price_key[od.len()..]);
        let spot_price = match p.price(&spot_key) {
            Some(price) => price,
            None => {
                assumed = true;
                c.unit_price * (Decimal::ONE - discount)
            }
        };
        any = true;
        saving += c.quantity * (c.unit_price - spot_price);
    }
    let basis = if assumed {
        "assumed-discount"
    } else {
        "catalog"
    };
    any.then(|| positive(saving).map(|s| (s, basis))).flatten()
}

/// gp2 storage components (their typed volume facts: N volumes of S GB) as gp3 with matching
/// baseline IOPS. None when there is no gp2, or a price or the facts are missing.
fn gp3(components: &[Component], p: &Pricing) -> Option<Decimal> {
    let gp2: Vec<&Component> = components
        .iter()
        .filter(|c| c.price_key == GP2_STORAGE)
        .collect();
    if gp2.is_empty() {
        return None;
    }
    let gp3_storage = p.price("ebs/gp3/storage")?;
    let mut saving = Decimal::ZERO;
    for c in gp2 {
        let vol = c.facts.volume.as_ref()?;
        let size = Some(vol.size_gb).filter(|s| *s > Decimal::ZERO)?;
        let volumes = vol.count;
        let iops = (size * GP2_IOPS_PER_GB).min(GP2_MAX_IOPS);
        let extra_iops = (iops - GP3_INCLUDED_IOPS).max(Decimal::ZERO);
        let iops_cost = if extra_iops > Decimal::ZERO {
            extra_iops * p.price("ebs/gp3/iops")?
        } else {
            Decimal::ZERO
        };
        let as_gp3 = (size * gp3_storage + iops_cost) * volumes;
        saving += c.monthly_cost - as_gp3;
    }
    positive(saving)
}

/// The hourly machine component (its price key names the machine type).
fn machine_component(components: &[Component]) -> Option<&Component> {
    let prefixes: Vec<&str> = NODE_PREFIXES
        .iter()
        .chain(NOTEBOOK_PREFIXES)
        .copied()
        .filter(|p| !p.starts_with("gpu"))
        .collect();
    components
        .iter()
        .find(|c| hourly(c) && prefixes.iter().any(|x| c.price_key.starts_with(x)))
}

/// The cheapest GPU type of the notebook's family (strictly cheaper), or one attached GPU
/// instead of several.
fn smallest_notebook(
    components: &[Component],
    p: &Pricing,
    per_node: f64,
) -> Option<(String, Decimal)> {
    let machine = machine_component(components)?;
    let attached: Vec<&Component> = components
        .iter()
        .filter(|c| hourly(c) && c.price_key.starts_with("gpu/"))
        .collect();
    let (prefix, mtype) = machine.price_key.split_once('/')?;
    if !attached.is_empty() {
        // Machine without GPUs + N attached GPUs: keep the machine, attach one.
        if per_node <= 1.0 {
            return None;
        }
        let n = crate::money::from_f64(per_node)?;
        let saving: Decimal = attached
            .iter()
            .map(|c| c.monthly_cost * (n - Decimal::ONE) / n)
            .sum();
        return positive(saving).map(|s| (format!("{mtype} with 1 GPU"), s));
    }
    let family = family_of(mtype);
    let prices = p.catalogs.region_prices(p.cloud, p.region)?;
    let best = prices
        .iter()
        .filter_map(|(k, e)| {
            let t = k.strip_prefix(prefix)?.strip_prefix('/')?;
            (t != mtype && family_of(t) == family && has_gpu(p, t)).then_some((t, e.price?))
        })
        .filter(|(_, price)| *price < machine.unit_price)
        .min_by(|a, b| a.1.cmp(&b.1))?;
    let saving = machine.quantity * (machine.unit_price - best.1);
    positive(saving).map(|s| (display_type(best.0), s))
}

fn has_gpu(p: &Pricing, t: &str) -> bool {
    p.catalogs
        .machine(p.cloud, t.strip_prefix("ml.").unwrap_or(t))
        .is_some_and(|m| m.gpu.is_some())
}

/// Azure sizes are lower case in the catalog; show them as Azure writes them
/// (`standard_nc24ads_a100_v4` → `Standard_NC24ads_A100_v4`).
fn display_type(t: &str) -> String {
    if !t.starts_with("standard_") {
        return t.to_string();
    }
    t.split('_')
        .map(|part| {
            let letters = part
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(part.len());
            if part == "standard" {
                "Standard".to_string()
            } else if part.starts_with('v') && letters == 1 {
                part.to_string()
            } else {
                format!(
                    "{}{}",
                    part[..letters].to_ascii_uppercase(),
                    &part[letters..]
                )
            }
        })
        .collect::<Vec<_>>()
        .join("_")
}

/// The family of a machine type: `ml.g5.12xlarge` → `ml.g5`, `a2-highgpu-4g` → `a2-highgpu`,
/// `standard_nc48ads_a100_v4` → `standard_nc#ads_a100_v4` (the size digits replaced).
pub fn family_of(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    if let Some(rest) = t.strip_prefix("standard_") {
        let start = rest.find(|c: char| c.is_ascii_digit());
        return match start {
            Some(i) => {
                let end = rest[i..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or(rest.len(), |j| i + j);
                format!("standard_{}#{}", &rest[..i], &rest[end..])
            }
            None => t.clone(),
        };
    }
    if let Some((family, _)) = t.rsplit_once('.') {
        return family.to_string();
    }
    t.rsplit_once('-')
        .map(|(f, _)| f.to_string())
        .unwrap_or(t.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn pricing<'a>(catalogs: &'a Catalogs, cloud: &'a str, region: &'a str) -> Pricing<'a> {
        Pricing {
            catalogs,
            cloud,
            region,
            rtype: "",
        }
    }

    #[test]
    fn families() {
        assert_eq!(family_of("ml.g5.12xlarge"), "ml.g5");
        assert_eq!(family_of("g5.xlarge"), "g5");
        assert_eq!(family_of("a2-highgpu-4g"), "a2-highgpu");
        assert_eq!(
            family_of("standard_nc48ads_a100_v4"),
            "standard_nc#ads_a100_v4"
        );
        assert_eq!(family_of("Standard_NC4as_T4_v3"), "standard_nc#as_t4_v3");
        assert_ne!(
            family_of("standard_nc6s_v3"),
            family_of("standard_nc4as_t4_v3")
        );
    }

    #[test]
    fn azure_names_read_as_azure_writes_them() {
        assert_eq!(
            display_type("standard_nc24ads_a100_v4"),
            "Standard_NC24ads_A100_v4"
        );
        assert_eq!(display_type("standard_nc4as_t4_v3"), "Standard_NC4as_T4_v3");
        assert_eq!(display_type("ml.g5.xlarge"), "ml.g5.xlarge");
    }

    fn component(key: &str, unit: &str, quantity: &str, price: &str, name: &str) -> Component {
        let (q, p) = (d(quantity), d(price));
        Component::for_test(name, unit, q, p, q * p, key)
    }

    #[test]
    fn gp2_to_gp3_matches_baseline_iops() {
        let catalogs = Catalogs::embedded().unwrap();
        let p = pricing(&catalogs, "aws", "us-east-1");
        let disk = |vtype: &str, size: &str, gb_months: &str| {
            let key = format!("ebs/{vtype}/storage");
            let price = if vtype == "gp2" { "0.10" } else { "0.08" };
            // The name is a label only: the size comes from the typed facts.
            component(&key, "GB-months", gb_months, price, "x").with_volume(
                vtype,
                d(size),
                d(gb_months) / d(size),
            )
        };
        // 2 × 100 GB: 200 GB-months at $0.10 → $0.08: $4.00 saved.
        assert_eq!(gp3(&[disk("gp2", "100", "200")], &p), Some(d("4.00")));
        // 2,000 GB: gp2 gives 6,000 IOPS; gp3 needs 3,000 more at $0.005: 200 − 160 − 15.
        assert_eq!(gp3(&[disk("gp2", "2000", "2000")], &p), Some(d("25.00")));
        assert_eq!(gp3(&[disk("gp3", "100", "200")], &p), None);
        // Without volume facts there is no size to convert: no saving is guessed.
        let bare = component(
            "ebs/gp2/storage",
            "GB-months",
            "200",
            "0.10",
            "x (gp2, 100 GB)",
        );
        assert_eq!(gp3(&[bare], &p), None);
    }

    #[test]
    fn spot_uses_catalog_prices_or_the_discount() {
        let catalogs = Catalogs::embedded().unwrap();
        let gcp = pricing(&catalogs, "gcp", "us-central1");
        let c = component("gce/a2-highgpu-1g", "hours", "730", "3.673385", "");
        let spot_price = gcp.price("gce-spot/a2-highgpu-1g").unwrap();
        let (saving, basis) = spot(std::slice::from_ref(&c), &gcp, d("0.6")).unwrap();
        assert_eq!(basis, "catalog");
        assert_eq!(saving, cents(d("730") * (d("3.673385") - spot_price)));
        let aws = pricing(&catalogs, "aws", "us-east-1");
        // g5.xlarge spot: on-demand less the Spot Advisor saving (catalog, derived).
        let c = component("ec2/g5.xlarge", "hours", "730", "1.006", "");
        let spot_price = aws.price("ec2-spot/g5.xlarge").unwrap();
        let (saving, basis) = spot(&[c], &aws, d("0.6")).unwrap();
        assert_eq!(basis, "catalog");
        assert_eq!(saving, cents(d("730") * (d("1.006") - spot_price)));
        // g3.4xlarge has no Spot Advisor row: the assumed discount applies.
        let c = component("ec2/g3.4xlarge", "hours", "730", "1.14", "");
        let (saving, basis) = spot(&[c], &aws, d("0.6")).unwrap();
        assert_eq!((saving, basis), (d("499.32"), "assumed-discount"));
    }

    #[test]
    fn only_pools_with_gpus_count_as_gpu_nodes() {
        let catalogs = Catalogs::embedded().unwrap();
        let gcp = pricing(&catalogs, "gcp", "us-central1");
        let cs = [
            component(
                "gke/cluster-hour",
                "hours",
                "730",
                "0.1",
                "cluster management fee",
            ),
            component(
                "gce/n1-standard-4",
                "hours",
                "730",
                "0.19",
                "pool cpu: nodes (n1-standard-4)",
            ),
            component(
                "gce/n1-standard-8",
                "hours",
                "1460",
                "0.38",
                "pool t4: nodes (n1-standard-8)",
            ),
            component(
                "gpu/nvidia-tesla-t4",
                "hours",
                "1460",
                "0.35",
                "pool t4: 1 × T4 GPU",
            ),
            component(
                "gce/a2-highgpu-1g",
                "hours",
                "730",
                "3.67",
                "pool a2: nodes (a2-highgpu-1g)",
            ),
        ];
        let names: Vec<String> = gpu_nodes(&cs, &gcp).into_iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "pool t4: nodes (n1-standard-8)",
                "pool t4: 1 × T4 GPU",
                "pool a2: nodes (a2-highgpu-1g)"
            ]
        );
    }

    #[test]
    fn schedules_scale_hour_based_cost() {
        let mut s = Savings {
            hourly_cost: Some((d("1027.84"), d("730"))),
            ..Savings::default()
        };
        s.schedule(d("173.8"));
        // 1027.84 − 1027.84 × 173.8 / 730 = 783.13 (1.408 × (730 − 173.8) = 783.13)
        assert_eq!(s.scheduled, Some(d("783.13")));
        assert_eq!(s.scheduled_hours, Some(d("173.8")));
        s.hourly_cost = Some((d("100"), d("100")));
        s.schedule(d("173.8"));
        assert_eq!(s.scheduled, None, "already runs fewer hours");
    }
}
