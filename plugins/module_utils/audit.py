# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Control checks of the platform audit (docs/controls.md, CONTROLS.md).

Every check reads the live account and returns a Finding: ``pass``, ``fail``
(with what is wrong), ``unknown`` (the evidence could not be read: the API is
missing on this endpoint, access was denied...) or ``unchecked`` (no check is
implemented for that control yet). A check never reports ``pass`` without
having read its evidence.
"""

from __future__ import annotations

import json

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# Control id -> (title, HIPAA Security Rule sections it serves)
CATALOGUE = {
    "HP-01": ("IAM console users have MFA; MFA-enforcement policy on every human group", ["164.312(d)", "164.308(a)(5)"]),
    "HP-02": ("Portal user pools require MFA, advanced security, strong passwords", ["164.312(d)"]),
    "HP-03": ("Account password policy: 14+ chars, all classes, reuse 24, max age 90", ["164.308(a)(5)(ii)(D)"]),
    "HP-04": ("Records bucket: Object Lock with default retention, versioning", ["164.312(c)(1)"]),
    "HP-05": ("Every bucket: SSE-KMS, public access block, TLS-only policy, ownership enforced", ["164.312(a)(2)(iv)", "164.312(e)(1)"]),
    "HP-06": ("Database master credentials in Secrets Manager, KMS-encrypted, rotated", ["164.312(a)(1)"]),
    "HP-07": ("No secrets in launch template user data or Lambda environment", ["164.312(a)(1)"]),
    "HP-08": ("ALB and ASG span 2+ AZs; deletion protection; ELB health checks; scaling policy", ["164.308(a)(7)"]),
    "HP-09": ("Least-privilege IAM: duty groups, no user policies, no admin or escalation", ["164.308(a)(3)", "164.308(a)(4)"]),
    "HP-10": ("Database encrypted with a customer key, TLS forced, private, protected", ["164.312(a)(2)(iv)", "164.312(e)(1)"]),
    "HP-11": ("Customer KMS keys rotate; none pending deletion", ["164.312(a)(2)(iv)"]),
    "HP-12": ("Every platform VPC has flow logs of ALL traffic", ["164.312(b)"]),
    "HP-13": ("DNS Firewall blocks malicious domains on every platform VPC; query logging", ["164.308(a)(1)(ii)(D)", "164.312(b)"]),
    "HP-14": ("HTTPS only: TLS 1.2+ listeners, HTTP redirects", ["164.312(e)(1)"]),
    "HP-15": ("Patch baselines, patch groups and a patch window", ["164.308(a)(5)(ii)(B)"]),
    "HP-16": ("WAF with AWS managed rule groups and a rate rule on the ALB; logging", ["164.308(a)(1)"]),
    "HP-17": ("Segmented network: tiers in 2+ AZs, no public IPs, no SSH/RDP, default SG closed", ["164.312(a)(1)", "164.312(e)(1)"]),
    "HP-18": ("Launch template: IMDSv2, encrypted EBS, no public IP, no key pair", ["164.312(a)(2)(iv)"]),
    "HP-19": ("CloudTrail multi-region, validated, encrypted, to CloudWatch with CIS alarms", ["164.312(b)"]),
    "HP-20": ("CloudWatch agent ships system and web logs and host metrics", ["164.312(b)"]),
    "HP-21": ("Inspector v2 scans EC2", ["164.308(a)(1)(ii)(A)"]),
    "HP-22": ("EBS encrypted by default; snapshot schedule; no public snapshots", ["164.308(a)(7)(ii)(A)", "164.312(a)(2)(iv)"]),
    "HP-23": ("AWS Backup vault locked and encrypted; plan and selection", ["164.308(a)(7)(ii)(A)"]),
    "HP-24": ("Database Multi-AZ with 7+ days of automated backups", ["164.308(a)(7)"]),
    "HP-25": ("GuardDuty, Security Hub (FSBP) and Config recorder enabled", ["164.308(a)(1)(ii)(D)"]),
    "HP-26": ("SNS topics KMS-encrypted; SES sending identity verified", ["164.312(e)(2)(ii)"]),
}


class Finding:
    def __init__(self, control, status, evidence=None, reason=""):
        self.control = control
        self.status = status
        self.evidence = evidence if evidence is not None else {}
        self.reason = reason

    def as_dict(self):
        title, hipaa = CATALOGUE[self.control]
        return {"id": self.control, "title": title, "hipaa": hipaa, "status": self.status, "reason": self.reason, "evidence": self.evidence}


def verdict(control, problems, evidence):
    """pass when nothing is wrong, fail listing the problems."""
    if problems:
        return Finding(control, "fail", evidence, "; ".join(problems))
    return Finding(control, "pass", evidence)


class Context:
    """What the checks share: clients (one per service), the platform's tag filter, settings."""

    def __init__(self, module, client_factory, settings):
        self.module = module
        self._client_factory = client_factory
        self._clients = {}
        self.settings = settings

    def client(self, service):
        if service not in self._clients:
            self._clients[service] = self._client_factory(service)
        return self._clients[service]

    @property
    def tag_filters(self):
        return [
            {"Name": "tag:Platform", "Values": [self.settings["platform"]]},
            {"Name": "tag:Environment", "Values": [self.settings["environment"]]},
        ]

    def platform_vpcs(self):
        return self.client("ec2").describe_vpcs(Filters=self.tag_filters, aws_retry=True)["Vpcs"]


def run_check(control, check, context):
    """Run one check; evidence that cannot be read makes the finding unknown, never pass."""
    try:
        return check(context)
    except botocore.exceptions.ClientError as e:
        error = e.response.get("Error", {})
        code = str(error.get("Code", "")) or str(e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
        message = str(error.get("Message", ""))
        if "<" in message or not message:
            message = "the endpoint does not implement this API" if code.startswith("5") else "no message"
        return Finding(control, "unknown", {}, f"could not read the evidence: {e.operation_name} answered {code}: {message}")
    except botocore.exceptions.BotoCoreError as e:
        return Finding(control, "unknown", {}, f"could not read the evidence: {e}")


# ---------------------------------------------------------------- the checks


def check_hp03(context):
    settings = context.settings
    try:
        policy = context.client("iam").get_account_password_policy(aws_retry=True)["PasswordPolicy"]
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] == "NoSuchEntity":
            return Finding("HP-03", "fail", {"PasswordPolicy": None}, "the account has no password policy")
        raise
    problems = []
    if policy.get("MinimumPasswordLength", 0) < settings["password_min_length"]:
        problems.append(f"minimum length {policy.get('MinimumPasswordLength')} < {settings['password_min_length']}")
    for key in ("RequireSymbols", "RequireNumbers", "RequireUppercaseCharacters", "RequireLowercaseCharacters"):
        if not policy.get(key):
            problems.append(f"{key} is off")
    if policy.get("PasswordReusePrevention", 0) < 24:
        problems.append(f"reuse prevention {policy.get('PasswordReusePrevention', 0)} < 24")
    if not policy.get("ExpirePasswords") or policy.get("MaxPasswordAge", 0) > 90:
        problems.append(f"max age {policy.get('MaxPasswordAge', 'unset')} > 90")
    return verdict("HP-03", problems, {"PasswordPolicy": policy})


def _platform_buckets(context):
    s3 = context.client("s3")
    prefix = context.settings["bucket_prefix"]
    return [b["Name"] for b in s3.list_buckets(aws_retry=True).get("Buckets", []) if b["Name"].startswith(prefix)]


def check_hp04(context):
    bucket = context.settings["records_bucket"]
    s3 = context.client("s3")
    problems = []
    try:
        lock = s3.get_object_lock_configuration(Bucket=bucket, aws_retry=True)["ObjectLockConfiguration"]
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] in ("NoSuchBucket", "ObjectLockConfigurationNotFoundError"):
            return Finding("HP-04", "fail", {"Bucket": bucket}, f"{bucket}: {e.response['Error']['Code']}")
        raise
    versioning = s3.get_bucket_versioning(Bucket=bucket, aws_retry=True).get("Status")
    retention = lock.get("Rule", {}).get("DefaultRetention", {})
    days = retention.get("Days") or (retention.get("Years") or 0) * 365
    if lock.get("ObjectLockEnabled") != "Enabled":
        problems.append("Object Lock is not enabled")
    if not retention:
        problems.append("no default retention")
    elif days < context.settings["object_lock_min_days"]:
        problems.append(f"default retention {days} days < {context.settings['object_lock_min_days']}")
    if context.settings["environment"] == "production" and retention.get("Mode") != "COMPLIANCE":
        problems.append(f"retention mode {retention.get('Mode')} is not COMPLIANCE in production")
    if versioning != "Enabled":
        problems.append("versioning is not enabled")
    return verdict("HP-04", problems, {"Bucket": bucket, "ObjectLockConfiguration": lock, "Versioning": versioning})


def _tls_only(policy_text):
    if not policy_text:
        return False
    for statement in json.loads(policy_text).get("Statement", []):
        condition = statement.get("Condition", {}).get("Bool", {})
        if statement.get("Effect") == "Deny" and str(condition.get("aws:SecureTransport", "")).lower() == "false":
            return True
    return False


def check_hp05(context):
    s3 = context.client("s3")
    buckets = _platform_buckets(context)
    if not buckets:
        return Finding("HP-05", "fail", {"Buckets": []}, f"no bucket named {context.settings['bucket_prefix']}*")
    problems, evidence = [], {}
    for bucket in buckets:
        item = {}
        try:
            rules = s3.get_bucket_encryption(Bucket=bucket, aws_retry=True)["ServerSideEncryptionConfiguration"]["Rules"]
        except botocore.exceptions.ClientError:
            rules = []
        algorithms = [r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for r in rules]
        item["SSEAlgorithm"] = algorithms
        if "aws:kms" not in algorithms and "aws:kms:dsse" not in algorithms:
            problems.append(f"{bucket}: default encryption is not SSE-KMS")
        try:
            block = s3.get_public_access_block(Bucket=bucket, aws_retry=True)["PublicAccessBlockConfiguration"]
        except botocore.exceptions.ClientError:
            block = {}
        item["PublicAccessBlock"] = block
        if not (block and all(block.values()) and len(block) == 4):
            problems.append(f"{bucket}: public access block is not fully on")
        try:
            policy = s3.get_bucket_policy(Bucket=bucket, aws_retry=True)["Policy"]
        except botocore.exceptions.ClientError:
            policy = ""
        item["TlsOnlyPolicy"] = _tls_only(policy)
        if not item["TlsOnlyPolicy"]:
            problems.append(f"{bucket}: no Deny on aws:SecureTransport=false")
        evidence[bucket] = item
    return verdict("HP-05", problems, {"Buckets": evidence})


def check_hp11(context):
    kms = context.client("kms")
    keys = []
    paginator = kms.get_paginator("list_aliases")
    aliases = [a for page in paginator.paginate() for a in page["Aliases"] if a.get("TargetKeyId")]
    prefix = f"alias/{context.settings['platform']}-{context.settings['environment']}"
    ours = [a for a in aliases if a["AliasName"].startswith(prefix)]
    if not ours:
        return Finding("HP-11", "fail", {"Aliases": []}, f"no customer key aliased {prefix}*")
    problems = []
    for alias in ours:
        key = kms.describe_key(KeyId=alias["TargetKeyId"], aws_retry=True)["KeyMetadata"]
        rotation = kms.get_key_rotation_status(KeyId=alias["TargetKeyId"], aws_retry=True)["KeyRotationEnabled"]
        keys.append({"Alias": alias["AliasName"], "KeyState": key["KeyState"], "KeyRotationEnabled": rotation})
        if not rotation:
            problems.append(f"{alias['AliasName']}: rotation is off")
        if key["KeyState"] != "Enabled":
            problems.append(f"{alias['AliasName']}: key is {key['KeyState']}")
    return verdict("HP-11", problems, {"Keys": keys})


def check_hp12(context):
    vpcs = context.platform_vpcs()
    if not vpcs:
        return Finding("HP-12", "fail", {"Vpcs": []}, "no platform VPC found")
    ec2 = context.client("ec2")
    problems, evidence = [], {}
    for vpc in vpcs:
        flow_logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc["VpcId"]]}], aws_retry=True)["FlowLogs"]
        evidence[vpc["VpcId"]] = [{k: f.get(k) for k in ("FlowLogId", "FlowLogStatus", "TrafficType", "LogDestinationType")} for f in flow_logs]
        if not any(f.get("FlowLogStatus") == "ACTIVE" and f.get("TrafficType") == "ALL" for f in flow_logs):
            problems.append(f"{vpc['VpcId']}: no active flow log of ALL traffic")
    return verdict("HP-12", problems, {"FlowLogs": evidence})


def check_hp13(context):
    vpcs = context.platform_vpcs()
    if not vpcs:
        return Finding("HP-13", "fail", {"Vpcs": []}, "no platform VPC found")
    resolver = context.client("route53resolver")
    associations = resolver.list_firewall_rule_group_associations(aws_retry=True)["FirewallRuleGroupAssociations"]
    problems, evidence = [], {"Associations": associations}
    for vpc in vpcs:
        mine = [a for a in associations if a.get("VpcId") == vpc["VpcId"] and a.get("Status") == "COMPLETE"]
        blocking = False
        for association in mine:
            rules = resolver.list_firewall_rules(FirewallRuleGroupId=association["FirewallRuleGroupId"], aws_retry=True)["FirewallRules"]
            blocking = blocking or any(r.get("Action") == "BLOCK" for r in rules)
        if not blocking:
            problems.append(f"{vpc['VpcId']}: no associated rule group with a BLOCK rule")
    logging = resolver.list_resolver_query_log_config_associations(aws_retry=True)["ResolverQueryLogConfigAssociations"]
    evidence["QueryLogAssociations"] = logging
    for vpc in vpcs:
        if not any(a.get("ResourceId") == vpc["VpcId"] for a in logging):
            problems.append(f"{vpc['VpcId']}: no resolver query logging")
    return verdict("HP-13", problems, evidence)


def check_hp17(context):
    vpcs = context.platform_vpcs()
    if not vpcs:
        return Finding("HP-17", "fail", {"Vpcs": []}, "no platform VPC found")
    ec2 = context.client("ec2")
    problems, evidence = [], {}
    for vpc in vpcs:
        vpc_filter = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
        subnets = ec2.describe_subnets(Filters=vpc_filter, aws_retry=True)["Subnets"]
        tiers = {}
        for subnet in subnets:
            tier = boto3_tag_list_to_ansible_dict(subnet.get("Tags", [])).get("Tier", "untiered")
            tiers.setdefault(tier, set()).add(subnet["AvailabilityZone"])
            if subnet.get("MapPublicIpOnLaunch"):
                problems.append(f"{subnet['SubnetId']} ({tier}) maps public IPs on launch")
        for tier in ("public", "app", "data"):
            if len(tiers.get(tier, ())) < 2:
                problems.append(f"tier {tier} spans {len(tiers.get(tier, ()))} AZs (< 2)")
        groups = ec2.describe_security_groups(Filters=vpc_filter, aws_retry=True)["SecurityGroups"]
        for group in groups:
            if group["GroupName"] == "default" and (group.get("IpPermissions") or group.get("IpPermissionsEgress")):
                problems.append(f"default security group {group['GroupId']} is not empty")
            for rule in group.get("IpPermissions", []):
                world = any(r.get("CidrIp") == "0.0.0.0/0" for r in rule.get("IpRanges", [])) or any(
                    r.get("CidrIpv6") == "::/0" for r in rule.get("Ipv6Ranges", [])
                )
                low, high = rule.get("FromPort", 0), rule.get("ToPort", 65535)
                if rule.get("IpProtocol") == "-1":
                    low, high = 0, 65535
                for port in (22, 3389):
                    if low <= port <= high and (world or rule.get("IpProtocol") == "-1"):
                        problems.append(f"{group['GroupId']} opens port {port}")
                if world and not (low == high and low in (80, 443)):
                    problems.append(f"{group['GroupId']} allows {rule.get('IpProtocol')} {low}-{high} from the internet")
        evidence[vpc["VpcId"]] = {"Tiers": {k: sorted(v) for k, v in tiers.items()}, "SecurityGroups": [g["GroupId"] for g in groups]}
    return verdict("HP-17", problems, evidence)


def check_hp21(context):
    inspector = context.client("inspector2")
    account = context.client("sts").get_caller_identity(aws_retry=True)["Account"]
    accounts = inspector.batch_get_account_status(accountIds=[account], aws_retry=True)["accounts"]
    state = accounts[0].get("resourceState", {}) if accounts else {}
    ec2 = state.get("ec2", {}).get("status")
    return verdict("HP-21", [] if ec2 == "ENABLED" else [f"EC2 scanning is {ec2 or 'not enabled'}"], {"resourceState": state})


def check_hp22(context):
    ec2 = context.client("ec2")
    enabled = ec2.get_ebs_encryption_by_default(aws_retry=True)["EbsEncryptionByDefault"]
    if not enabled:
        return Finding("HP-22", "fail", {"EbsEncryptionByDefault": enabled}, "EBS encryption by default is off")
    # The schedule is part of the control: without readable DLM evidence the result is unknown, never pass.
    policies = context.client("dlm").get_lifecycle_policies(aws_retry=True)["Policies"]
    active = [p for p in policies if p.get("State") == "ENABLED"]
    problems = [] if active else ["no enabled Data Lifecycle Manager policy"]
    return verdict("HP-22", problems, {"EbsEncryptionByDefault": enabled, "LifecyclePolicies": [p["PolicyId"] for p in active]})


def check_hp25(context):
    problems, evidence = [], {}
    detectors = context.client("guardduty").list_detectors(aws_retry=True)["DetectorIds"]
    status = context.client("guardduty").get_detector(DetectorId=detectors[0], aws_retry=True)["Status"] if detectors else None
    evidence["GuardDuty"] = status
    if status != "ENABLED":
        problems.append(f"GuardDuty is {status or 'not set up'}")
    try:
        hub = context.client("securityhub").describe_hub(aws_retry=True)
        evidence["SecurityHub"] = hub.get("HubArn")
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] not in ("InvalidAccessException", "ResourceNotFoundException"):
            raise
        problems.append("Security Hub is not enabled")
    recorders = context.client("config").describe_configuration_recorder_status(aws_retry=True)["ConfigurationRecordersStatus"]
    evidence["ConfigRecorders"] = [{"name": r["name"], "recording": r.get("recording")} for r in recorders]
    if not any(r.get("recording") for r in recorders):
        problems.append("no AWS Config recorder is recording")
    return verdict("HP-25", problems, evidence)


CHECKS = {
    "HP-03": check_hp03,
    "HP-04": check_hp04,
    "HP-05": check_hp05,
    "HP-11": check_hp11,
    "HP-12": check_hp12,
    "HP-13": check_hp13,
    "HP-17": check_hp17,
    "HP-21": check_hp21,
    "HP-22": check_hp22,
    "HP-25": check_hp25,
}


def audit(context, controls):
    findings = []
    for control in controls:
        check = CHECKS.get(control)
        if check is None:
            findings.append(Finding(control, "unchecked", {}, "no automated check for this control yet"))
        else:
            findings.append(run_check(control, check, context))
    return [f.as_dict() for f in findings]
