# Generates aws/offer-us-east-1.json in the Price List wire format (pretty-printed with " : "
# separators like the real files). Run: python3 gen_aws.py
import json
from collections import OrderedDict as O

LOC = "US East (N. Virginia)"
def inst(sku, itype, os_="Linux", tenancy="Shared", cap="Used", market="OnDemand", lic="No License required",
         pre="NA", usage=None, op="RunInstances", gpu=None, vcpu="4", mem="16 GiB", family="Compute Instance"):
    a = O(servicecode="AmazonEC2", location=LOC, locationType="AWS Region", instanceType=itype,
          currentGeneration="Yes", vcpu=vcpu, memory=mem, tenancy=tenancy, operatingSystem=os_,
          licenseModel=lic, usagetype=usage or f"BoxUsage:{itype}", operation=op, capacitystatus=cap,
          gpu=gpu or "NA", marketoption=market, preInstalledSw=pre, regionCode="us-east-1", servicename="Amazon Elastic Compute Cloud")
    return O(sku=sku, productFamily=family, attributes=a)

def other(sku, family, usage, **extra):
    a = O(servicecode=extra.pop("servicecode", "AmazonEC2"), location=LOC, locationType="AWS Region", usagetype=usage)
    a.update(extra); a["regionCode"] = "us-east-1"
    return O(sku=sku, productFamily=family, attributes=a)

products = O()
terms = O()
def add(p, dims, date="2026-11-01T00:00:00Z"):
    sku = p["sku"]; products[sku] = p
    pd = O()
    for i, (begin, end, unit, usd, desc) in enumerate(dims):
        rate = f"{sku}.JRTCKXETXF.{['6YS6EN2CT7','VXH3ZJ2WAA','3SD2N4GZ3R','8EEUB22XNJ','R4DRKDTNQ8'][i]}"
        pd[rate] = O(rateCode=rate, description=desc, beginRange=begin, endRange=end, unit=unit,
                     pricePerUnit=O(USD=usd), appliesTo=[])
    terms[sku] = O([(f"{sku}.JRTCKXETXF", O(offerTermCode="JRTCKXETXF", sku=sku, effectiveDate=date,
                                            priceDimensions=pd, termAttributes=O()))])
hr = lambda usd, what: [("0", "Inf", "Hrs", usd, f"${usd} per On Demand {what} Instance Hour")]

add(inst("3D4V8UAYEMB38GU2", "p5.48xlarge", gpu="8", vcpu="192", mem="2048 GiB"), hr("55.0400000000", "Linux p5.48xlarge"))
# Same type, Capacity Block at $0.00: must not become the price.
add(inst("CB5P5CAPBLOCK0001", "p5.48xlarge", market="CapacityBlock", op="RunInstances:CB", gpu="8", vcpu="192", mem="2048 GiB",
         usage="CapacityBlock:p5.48xlarge"), hr("0.0000000000", "Linux p5.48xlarge Capacity Block"))
# Dedicated tenancy and an unused reservation: filtered.
add(inst("DED5P5DEDICATED01", "p5.48xlarge", tenancy="Dedicated", usage="DedicatedUsage:p5.48xlarge", gpu="8"), hr("60.5440000000", "Linux p5.48xlarge Dedicated"))
add(inst("UNU5P5UNUSEDRES01", "p5.48xlarge", cap="UnusedCapacityReservation", usage="UnusedBox:p5.48xlarge", gpu="8"), hr("55.0400000000", "Linux p5.48xlarge Unused Reservation"))
add(inst("H7NGEAC6UEHNTKSJ", "p4d.24xlarge", gpu="8", vcpu="96", mem="1152 GiB"), hr("21.9576420000", "Linux p4d.24xlarge"))
add(inst("WVVQPJVCQU4SR8XF", "trn1.32xlarge", vcpu="128", mem="512 GiB", family="Compute Instance"), hr("21.5000000000", "Linux trn1.32xlarge"))
# Fixture value (the real list price is 1.006): lets tests tell a refreshed price from the seed.
add(inst("XG5XLARGEFIXTURE1", "g5.xlarge", gpu="1"), hr("0.9500000000", "Linux g5.xlarge"))
add(inst("TPKUC6XYSUQ3VFK2", "g6.xlarge", gpu="1"), hr("0.8048000000", "Linux g6.xlarge"))
add(inst("9ZEEN7WWWQKAG292", "p3.8xlarge", gpu="4", vcpu="32", mem="244 GiB"), hr("12.2400000000", "Linux p3.8xlarge"))
# Windows (license included): must be filtered out.
add(inst("WINP38XLARGE0002", "p3.8xlarge", os_="Windows", lic="No License required", op="RunInstances:0002", gpu="4"), hr("13.7120000000", "Windows p3.8xlarge"))
# SQL pre-installed Linux: filtered.
add(inst("SQLP38XLARGE0004", "p3.8xlarge", pre="SQL Std", op="RunInstances:0004", gpu="4"), hr("16.4400000000", "Linux with SQL Std p3.8xlarge"))
add(inst("T3MICROLINUX0001", "t3.micro", vcpu="2", mem="1 GiB"), hr("0.0104000000", "Linux t3.micro"))
add(inst("M5XLARGELINUX001", "m5.xlarge", vcpu="4", mem="16 GiB"), hr("0.1920000000", "Linux m5.xlarge"))
# A type we have no hardware facts or prices for: not kept.
add(inst("ZZUNKNOWNTYPE001", "x9zz.metal", vcpu="4"), hr("1.0000000000", "Linux x9zz.metal"))
# Free-tier pseudo SKU (regionCode "", no instanceType).
ft = O(sku="FREETIERPSEUDO01", productFamily="Compute Instance", attributes=O(servicecode="AmazonEC2", location="Any", locationType="AWS Region", usagetype="Global-BoxUsage:freetrial", operation="RunInstances", regionCode=""))
products["FREETIERPSEUDO01"] = ft
terms["FREETIERPSEUDO01"] = O([("FREETIERPSEUDO01.7ATRJ2H8UM", O(offerTermCode="7ATRJ2H8UM", sku="FREETIERPSEUDO01", effectiveDate="2026-11-01T00:00:00Z", priceDimensions=O([("FREETIERPSEUDO01.7ATRJ2H8UM.6YS6EN2CT7", O(rateCode="FREETIERPSEUDO01.7ATRJ2H8UM.6YS6EN2CT7", description="$0.00 per Linux t2.micro/t3.micro instance-hour (or partial hour) under monthly free tier", beginRange="0", endRange="750", unit="Hrs", pricePerUnit=O(USD="0.0000000000"), appliesTo=["T3MICROLINUX0001"]))]), termAttributes=O()))])

st = lambda usd, what: [("0", "Inf", "GB-Mo", usd, f"${usd} per GB-month of {what} provisioned storage - US East (N. Virginia)")]
add(other("M6UGCCQ3CDJQAA37", "Storage", "EBS:VolumeUsage.gp3", volumeApiName="gp3", volumeType="General Purpose", storageMedia="SSD-backed"), st("0.0800000000", "General Purpose (gp3)"))
add(other("HY3BZPP2B6K8MSJF", "Storage", "EBS:VolumeUsage.gp2", volumeApiName="gp2", volumeType="General Purpose", storageMedia="SSD-backed"), st("0.1000000000", "General Purpose SSD (gp2)"))
add(other("IO2STORAGE000001", "Storage", "EBS:VolumeUsage.io2", volumeApiName="io2", volumeType="Provisioned IOPS", storageMedia="SSD-backed"), st("0.1250000000", "Provisioned IOPS SSD (io2)"))
add(other("STDMAGNETIC00001", "Storage", "EBS:VolumeUsage", volumeApiName="standard", volumeType="Magnetic", storageMedia="HDD-backed"), st("0.0500000000", "Magnetic"))
add(other("SNAPSHOT00000001", "Storage Snapshot", "EBS:SnapshotUsage", storageMedia="Amazon S3"), [("0", "Inf", "GB-Mo", "0.0500000000", "$0.05 per GB-Month of snapshot data stored - US East (N. Virginia)")])
add(other("GP3IOPS000000001", "System Operation", "EBS:VolumeP-IOPS.gp3", volumeApiName="gp3", group="EBS IOPS"), [("0", "Inf", "IOPS-Mo", "0.0050000000", "$0.005 per IOPS-month provisioned above 3000 - US East (N. Virginia)")])
add(other("IO2IOPS000000001", "System Operation", "EBS:VolumeP-IOPS.io2", volumeApiName="io2", group="EBS IOPS Tier 1"), [
    ("0", "32000", "IOPS-Mo", "0.0650000000", "$0.065 per IOPS-month provisioned (io2) up to 32000 IOPS"),
    ("32000", "64000", "IOPS-Mo", "0.0455000000", "$0.0455 per IOPS-month provisioned (io2) from 32001 to 64000 IOPS"),
    ("64000", "Inf", "IOPS-Mo", "0.0318500000", "$0.03185 per IOPS-month provisioned (io2) greater than 64000 IOPS")])
add(other("GP3THRU000000001", "Provisioned Throughput", "EBS:VolumeP-Throughput.gp3", volumeApiName="gp3"), [("0", "Inf", "GiBps-mo", "0.0400000000", "$0.040 per provisioned MiBps-month of gp3 - US East (N. Virginia)")])
add(other("STDIO00000000001", "System Operation", "EBS:VolumeIOUsage", volumeApiName="standard", group="EBS I/O Requests"), [("0", "Inf", "IOs", "0.0000000500", "$0.05 per 1 million I/O requests - US East (N. Virginia)")])
add(other("NATHOURS00000001", "NAT Gateway", "NatGateway-Hours", operation="NatGateway", group="NGW:NatGateway"), [("0", "Inf", "Hrs", "0.0450000000", "$0.045 per NAT Gateway Hour")])
add(other("NATBYTES00000001", "NAT Gateway", "NatGateway-Bytes", operation="NatGateway", group="NGW:NatGateway"), [("0", "Inf", "GB", "0.0450000000", "$0.045 per GB Data Processed by NAT Gateways")])
add(other("EGRESSINTERNET01", "Data Transfer", "DataTransfer-Out-Bytes", servicecode="AWSDataTransfer", transferType="AWS Outbound", fromLocation=LOC, toLocation="External"), [
    ("0", "10240", "GB", "0.0900000000", "$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier"),
    ("10240", "51200", "GB", "0.0850000000", "$0.085 per GB - next 40 TB / month data transfer out"),
    ("51200", "153600", "GB", "0.0700000000", "$0.070 per GB - next 100 TB / month data transfer out"),
    ("153600", "Inf", "GB", "0.0500000000", "$0.050 per GB - greater than 150 TB / month data transfer out")])

reserved = O([("3D4V8UAYEMB38GU2", O([("3D4V8UAYEMB38GU2.4NA7Y494T4", O(offerTermCode="4NA7Y494T4", sku="3D4V8UAYEMB38GU2", effectiveDate="2026-11-01T00:00:00Z", priceDimensions=O([("3D4V8UAYEMB38GU2.4NA7Y494T4.6YS6EN2CT7", O(rateCode="3D4V8UAYEMB38GU2.4NA7Y494T4.6YS6EN2CT7", description="Linux/UNIX (Amazon VPC), p5.48xlarge reserved instance applied", beginRange="0", endRange="Inf", unit="Hrs", pricePerUnit=O(USD="35.1200000000"), appliesTo=[]))]), termAttributes=O(LeaseContractLength="1yr", OfferingClass="standard", PurchaseOption="No Upfront")))]))])

offer = O(formatVersion="v1.0", disclaimer="This pricing list is for informational purposes only. All prices are subject to the additional terms included in the pricing pages on http://aws.amazon.com. All Free Tier prices are also subject to the terms included at https://aws.amazon.com/free/",
          offerCode="AmazonEC2", version="20261120000000", publicationDate="2026-11-20T00:00:00Z",
          products=products, terms=O(OnDemand=terms, Reserved=reserved), attributesList=O())
with open("aws/offer-us-east-1.json", "w") as f:
    json.dump(offer, f, indent=2, separators=(",", " : "))
    f.write("\n")
