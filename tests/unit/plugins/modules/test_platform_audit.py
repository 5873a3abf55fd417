# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""platform_audit: the framework (statuses, option checks, relaxations, HIPAA summary, the unknown
path of every control) and the network, S3, KMS and EBS checks.

Real evidence from the moto server where moto implements the APIs; botocore Stubber for the DNS
Firewall (HP-13) and Data Lifecycle Manager / default EBS key (HP-22) paths, which moto 5.2.5 does
not implement (every *Firewall* call and all of DLM answer HTTP 500, GetEbsDefaultKmsKeyId answers
unparsable XML). The Stubber validates every request against the real API model. The other
checks are in test_platform_audit_*.py.
"""

from __future__ import annotations

import json

import pytest
from auditlab import ACCOUNT
from auditlab import TAGS
from auditlab import DenyAll
from auditlab import audit
from auditlab import key
from auditlab import load_balancer
from auditlab import network as platform_network

from ansible_collections.healthplatform.aws.plugins.module_utils import audit_checks
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import CATALOGUE
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import HIPAA_SECTIONS
from ansible_collections.healthplatform.aws.plugins.modules import platform_audit


def findings(result):
    return {c["id"]: c for c in result["controls"]}


@pytest.fixture
def network(aws):
    """A platform VPC with three tiers in two AZs and a flow log of ALL traffic."""
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": TAGS}])["Vpc"]["VpcId"]
    third = 0
    for tier in ("public", "app", "data"):
        for az in ("us-east-1a", "us-east-1b"):
            ec2.create_subnet(
                VpcId=vpc,
                CidrBlock=f"10.50.{third}.0/24",
                AvailabilityZone=az,
                TagSpecifications=[{"ResourceType": "subnet", "Tags": [*TAGS, {"Key": "Tier", "Value": tier}]}],
            )
            third += 1
    aws.client("s3").create_bucket(Bucket="healthplatform-lab-logs")
    ec2.create_flow_logs(
        ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3", LogDestination="arn:aws:s3:::healthplatform-lab-logs"
    )
    default = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    ec2.revoke_security_group_ingress(GroupId=default["GroupId"], IpPermissions=default["IpPermissions"])
    ec2.revoke_security_group_egress(GroupId=default["GroupId"], IpPermissions=default["IpPermissionsEgress"])
    return vpc


# ---------------------------------------------------------------- framework


def test_empty_account_fails_and_never_passes(aws):
    with aws.recording() as calls:
        result = aws.run(platform_audit.main, {"environment": "lab"})

    assert result["changed"] is False
    found = findings(result)
    assert len(found) == 26
    assert found["HP-12"]["status"] == "fail" and "no platform VPC" in found["HP-12"]["reason"]
    assert found["HP-03"]["status"] == "fail"
    assert result["summary"]["pass"] == 0, [c for c in found.values() if c["status"] == "pass"]
    assert result["summary"]["unchecked"] == 0
    assert found["HP-12"]["hipaa"] == ["164.312(b)"]
    assert aws.mutating(calls) == [], "the audit is read-only"


@pytest.mark.parametrize("control", sorted(CATALOGUE))
def test_nothing_readable_is_unknown_never_pass(control, monkeypatch, capsys):
    """An endpoint that denies every request (HTTP 403, no body): every control is unknown, with the reason."""
    from ansible.module_utils.testing import patch_module_args

    with DenyAll() as endpoint:
        args = {"environment": "lab", "controls": [control], "endpoint_url": endpoint.endpoint, "region": "us-east-1", "access_key": "x", "secret_key": "y"}
        with patch_module_args(args), pytest.raises(SystemExit):
            platform_audit.main()
    result = json.loads(capsys.readouterr().out)

    (finding,) = result["controls"]
    assert finding["status"] == "unknown", finding
    assert finding["reason"].startswith("could not read the evidence:"), finding["reason"]
    assert "403" in finding["reason"] or "not the API's response" in finding["reason"], finding["reason"]


def test_unknown_control_id_fails_before_any_call(aws):
    with aws.recording() as calls:
        result = aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-12", "HP-99"]})

    assert result.failed
    assert "controls" in result["msg"] and "HP-99" in result["msg"]
    assert calls == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"relaxations": {"HP-42": "why"}}, "relaxations: unknown control IDs ['HP-42']"),
        ({"relaxations": {"HP-08": " "}}, "relaxations: say why"),
        ({"object_lock_min_days": 0}, "object_lock_min_days must be at least 1"),
        ({"agent_log_group_prefix": "instances/"}, "agent_log_group_prefix must start with /"),
        ({"environment": "la b"}, "environment must be a non-empty name"),
    ],
)
def test_bad_options_fail_before_any_call(aws, options, message):
    with aws.recording() as calls:
        result = aws.run(platform_audit.main, {"environment": "lab", **options})

    assert result.failed
    assert message in result["msg"]
    assert calls == []


def test_a_relaxed_control_still_fails_and_says_why(aws, network):
    """HP-12 relaxed: without a flow log it still fails; the reason ends with what the environment relaxes."""
    ec2 = aws.client("ec2")
    ec2.delete_flow_logs(FlowLogIds=[f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]])
    relaxations = {"HP-12": "no flow logs in this throwaway account", "HP-17": "nothing"}

    found = audit(aws, platform_audit.main, ["HP-12", "HP-17"], relaxations=relaxations)

    assert found["HP-12"]["status"] == "fail"
    assert found["HP-12"]["reason"].endswith("[relaxed in this environment: no flow logs in this throwaway account]")
    assert found["HP-12"]["relaxation"] == "no flow logs in this throwaway account"
    assert found["HP-17"]["status"] == "pass", "a relaxation never turns a pass into anything else"
    assert found["HP-17"]["reason"] == ""


def test_hipaa_summary_takes_the_worst_status_of_a_section():
    results = [
        {"id": "HP-12", "hipaa": ["164.312(b)"], "status": "pass"},
        {"id": "HP-19", "hipaa": ["164.312(b)", "164.308(a)(1)(ii)(D)"], "status": "unknown"},
        {"id": "HP-03", "hipaa": ["164.308(a)(5)(ii)(D)"], "status": "fail"},
        {"id": "HP-01", "hipaa": ["164.308(a)(5)(ii)(D)"], "status": "unknown"},
    ]

    sections = {s["section"]: s for s in audit_checks.hipaa_summary(results)}

    assert set(sections) == {"164.312(b)", "164.308(a)(1)(ii)(D)", "164.308(a)(5)(ii)(D)"}
    assert sections["164.312(b)"]["status"] == "unknown" and sections["164.312(b)"]["unknown"] == ["HP-19"]
    assert sections["164.308(a)(5)(ii)(D)"]["status"] == "fail" and sections["164.308(a)(5)(ii)(D)"]["failing"] == ["HP-03"]
    assert sections["164.308(a)(1)(ii)(D)"]["title"].endswith("information system activity review")


def test_every_control_maps_to_known_hipaa_sections_and_has_a_check():
    for control, (title, sections) in CATALOGUE.items():
        assert title and sections, control
        assert set(sections) <= set(HIPAA_SECTIONS), control
        assert control in audit_checks.CHECKS
    assert all(s.startswith(("164.308", "164.312")) for s in HIPAA_SECTIONS)


def test_module_returns_the_hipaa_summary(aws, network):
    result = aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-12", "HP-17"]})

    (section,) = [s for s in result["hipaa"] if s["section"] == "164.312(b)"]
    assert section == {
        "section": "164.312(b)",
        "title": "Technical safeguards - audit controls",
        "status": "pass",
        "controls": ["HP-12"],
        "failing": [],
        "unknown": [],
    }


def test_tls_policies_match_the_edge_roles_filter():
    """HP-14 accepts exactly the ELB policies the edge role's filter accepts (the module cannot import a filter)."""
    from ansible_collections.healthplatform.aws.plugins.filter import elb_tls_policy_errors

    assert audit_checks.TLS12_PLUS.pattern == elb_tls_policy_errors.TLS12_PLUS.pattern


# ---------------------------------------------------------------- HP-12, HP-17 network


def test_network_controls_pass_on_a_segmented_vpc(aws, network):
    found = audit(aws, platform_audit.main, ["HP-12", "HP-17"])

    assert found["HP-12"]["status"] == "pass", found["HP-12"]
    assert found["HP-17"]["status"] == "pass", found["HP-17"]
    assert set(found["HP-17"]["evidence"][network]["Tiers"]) == {"public", "app", "data"}


def test_ssh_from_the_world_fails_segmentation(aws, network):
    ec2 = aws.client("ec2")
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=network)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )

    found = audit(aws, platform_audit.main, ["HP-17"])

    assert found["HP-17"]["status"] == "fail"
    assert "opens port 22" in found["HP-17"]["reason"]


def test_flow_log_of_rejected_traffic_only_fails(aws, network):
    ec2 = aws.client("ec2")
    (flow_log,) = ec2.describe_flow_logs()["FlowLogs"]
    ec2.delete_flow_logs(FlowLogIds=[flow_log["FlowLogId"]])
    ec2.create_flow_logs(
        ResourceIds=[network], ResourceType="VPC", TrafficType="REJECT", LogDestinationType="s3", LogDestination="arn:aws:s3:::healthplatform-lab-logs"
    )

    found = audit(aws, platform_audit.main, ["HP-12"])

    assert found["HP-12"]["status"] == "fail"


# ---------------------------------------------------------------- HP-13 DNS Firewall


def query_logging(aws, vpc):
    resolver = aws.client("route53resolver")
    config = resolver.create_resolver_query_log_config(Name="q", DestinationArn="arn:aws:s3:::healthplatform-lab-logs", CreatorRequestId="1")
    resolver.associate_resolver_query_log_config(ResolverQueryLogConfigId=config["ResolverQueryLogConfig"]["Id"], ResourceId=vpc)


def test_missing_firewall_api_is_unknown_not_pass(aws, network):
    """moto has no DNS Firewall: with query logging in place, the finding says the firewall could not be read."""
    query_logging(aws, network)

    found = audit(aws, platform_audit.main, ["HP-13"])["HP-13"]

    assert found["status"] == "unknown"
    assert "ListFirewallRuleGroupAssociations" in found["reason"]
    assert found["evidence"]["QueryLogAssociations"][0]["ResourceId"] == network


def test_missing_query_logging_fails_even_when_the_firewall_is_unreadable(aws, network):
    found = audit(aws, platform_audit.main, ["HP-13"])["HP-13"]

    assert found["status"] == "fail"
    assert "no resolver query logging" in found["reason"]
    assert "also not read: DNS Firewall" in found["reason"]


VPC_ID = "vpc-0123456789abcdef0"


def stub_platform_vpc(stubbed):
    stubbed("ec2").add_response("describe_vpcs", {"Vpcs": [{"VpcId": VPC_ID}]})


def test_dns_firewall_blocking_and_logging_passes(stubbed):
    """Stubber: moto 5.2.5 answers every *Firewall* call with HTTP 500."""
    stub_platform_vpc(stubbed)
    resolver = stubbed("route53resolver")
    resolver.add_response(
        "list_firewall_rule_group_associations",
        {"FirewallRuleGroupAssociations": [{"Id": "rslvr-frgassoc-1", "FirewallRuleGroupId": "rslvr-frg-1", "VpcId": VPC_ID, "Status": "COMPLETE"}]},
    )
    resolver.add_response(
        "list_firewall_rules", {"FirewallRules": [{"Name": "malware", "Action": "BLOCK", "Priority": 100}]}, {"FirewallRuleGroupId": "rslvr-frg-1"}
    )
    resolver.add_response("list_resolver_query_log_config_associations", {"ResolverQueryLogConfigAssociations": [{"Id": "a", "ResourceId": VPC_ID}]})

    found = findings(stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-13"]}))["HP-13"]

    assert found["status"] == "pass", found
    stubbed.assert_all_used()


def test_dns_firewall_without_block_rule_fails(stubbed):
    """Stubber: moto 5.2.5 answers every *Firewall* call with HTTP 500."""
    stub_platform_vpc(stubbed)
    resolver = stubbed("route53resolver")
    resolver.add_response(
        "list_firewall_rule_group_associations",
        {"FirewallRuleGroupAssociations": [{"Id": "rslvr-frgassoc-1", "FirewallRuleGroupId": "rslvr-frg-1", "VpcId": VPC_ID, "Status": "COMPLETE"}]},
    )
    resolver.add_response("list_firewall_rules", {"FirewallRules": [{"Name": "watch", "Action": "ALERT", "Priority": 100}]})
    resolver.add_response("list_resolver_query_log_config_associations", {"ResolverQueryLogConfigAssociations": []})

    found = findings(stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-13"]}))["HP-13"]

    assert found["status"] == "fail"
    assert "no associated rule group with a BLOCK rule" in found["reason"]
    assert "no resolver query logging" in found["reason"]
    stubbed.assert_all_used()


# ---------------------------------------------------------------- HP-03 password policy


def test_password_policy(aws):
    iam = aws.client("iam")
    iam.update_account_password_policy(
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        MaxPasswordAge=90,
        PasswordReusePrevention=24,
    )
    assert audit(aws, platform_audit.main, ["HP-03"])["HP-03"]["status"] == "pass"

    iam.update_account_password_policy(MinimumPasswordLength=8, RequireSymbols=True, RequireNumbers=True, MaxPasswordAge=90, PasswordReusePrevention=24)
    weak = audit(aws, platform_audit.main, ["HP-03"])["HP-03"]
    assert weak["status"] == "fail"
    assert "minimum length 8" in weak["reason"]


# ---------------------------------------------------------------- HP-04, HP-05 S3


def test_records_bucket_object_lock(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="healthplatform-lab-records", ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket="healthplatform-lab-records",
        ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}},
    )

    short = audit(aws, platform_audit.main, ["HP-04"])["HP-04"]
    ok = audit(aws, platform_audit.main, ["HP-04"], object_lock_min_days=30)["HP-04"]
    production = audit(aws, platform_audit.main, ["HP-04"], environment="production", records_bucket="healthplatform-lab-records", object_lock_min_days=30)[
        "HP-04"
    ]

    assert short["status"] == "fail" and "30 days < 2190" in short["reason"], "six years by default"
    assert ok["status"] == "pass", ok
    assert production["status"] == "fail" and "COMPLIANCE" in production["reason"]


def test_records_bucket_is_found_by_the_data_roles_name(aws):
    """roles/data names it <prefix>records-<account>-<region>."""
    s3 = aws.client("s3")
    name = f"healthplatform-lab-records-{ACCOUNT}-us-east-1"
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket=name, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 6}}}
    )

    found = audit(aws, platform_audit.main, ["HP-04"])["HP-04"]

    assert found["status"] == "pass", found
    assert list(found["evidence"]) == [name]


def s3control(aws):
    from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import _strip_account_prefix

    client = aws.client("s3control")
    client.meta.events.register("before-sign.s3-control", _strip_account_prefix)
    return client


def private_bucket(aws, name, kms_key):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key}}]},
    )
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
    )
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "TlsOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})


def test_private_encrypted_buckets_pass_hp05(aws):
    objects = key(aws, "objects")
    private_bucket(aws, f"healthplatform-lab-content-{ACCOUNT}-us-east-1", objects)
    private_bucket(aws, f"aws-waf-logs-healthplatform-lab-{ACCOUNT}-us-east-1", objects)
    s3control(aws).put_public_access_block(
        AccountId=ACCOUNT,
        PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
    )

    found = audit(aws, platform_audit.main, ["HP-05"])["HP-05"]

    assert found["status"] == "pass", found
    assert f"aws-waf-logs-healthplatform-lab-{ACCOUNT}-us-east-1" in found["evidence"], "the data role's log bucket is a platform bucket"


def test_sse_s3_bucket_without_ownership_or_account_block_fails_hp05(aws):
    s3 = aws.client("s3")
    private_bucket(aws, "healthplatform-lab-content", key(aws, "objects"))
    s3.delete_bucket_ownership_controls(Bucket="healthplatform-lab-content")
    s3.create_bucket(Bucket="healthplatform-lab-alb-logs")
    s3.put_bucket_encryption(
        Bucket="healthplatform-lab-alb-logs", ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    )

    found = audit(aws, platform_audit.main, ["HP-05"])["HP-05"]

    assert found["status"] == "fail"
    assert "the account's S3 public access block is not fully on" in found["reason"]
    assert "healthplatform-lab-alb-logs: default encryption is AES256, not SSE-KMS" in found["reason"]
    assert "healthplatform-lab-content: object ownership is not BucketOwnerEnforced" in found["reason"]


def test_sse_s3_bucket_of_the_load_balancers_access_logs_is_the_stated_exception_to_hp05(aws):
    """ELB delivers ALB access logs only to SSE-S3 buckets: that bucket passes with the exception in the evidence."""
    objects = key(aws, "objects")
    private_bucket(aws, f"healthplatform-lab-content-{ACCOUNT}-us-east-1", objects)
    logs = f"healthplatform-lab-alb-logs-{ACCOUNT}"
    private_bucket(aws, logs, objects)
    aws.client("s3").put_bucket_encryption(
        Bucket=logs, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    )
    s3control(aws).put_public_access_block(
        AccountId=ACCOUNT,
        PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
    )
    _vpc, subnets = platform_network(aws)
    alb = load_balancer(aws, subnets["public"])
    elb = aws.client("elbv2")

    not_yet = audit(aws, platform_audit.main, ["HP-05"])["HP-05"]
    elb.modify_load_balancer_attributes(
        LoadBalancerArn=alb,
        Attributes=[{"Key": "access_logs.s3.enabled", "Value": "true"}, {"Key": "access_logs.s3.bucket", "Value": logs}],
    )
    found = audit(aws, platform_audit.main, ["HP-05"])["HP-05"]

    assert not_yet["status"] == "fail", "an SSE-S3 bucket no load balancer logs to is no exception"
    assert f"{logs}: default encryption is AES256, not SSE-KMS" in not_yet["reason"]
    assert found["status"] == "pass", found
    assert "SSE-S3" in found["evidence"][logs]["Exception"]


# ---------------------------------------------------------------- HP-11 KMS


def test_customer_keys_rotate(aws):
    key(aws, "logs")
    assert audit(aws, platform_audit.main, ["HP-11"])["HP-11"]["status"] == "pass"

    other = key(aws, "objects")
    aws.client("kms").disable_key_rotation(KeyId=other)
    found = audit(aws, platform_audit.main, ["HP-11"])["HP-11"]
    assert found["status"] == "fail"
    assert "alias/healthplatform-lab-objects: rotation is off" in found["reason"]


# ---------------------------------------------------------------- HP-21 Inspector


def test_inspector_scans_ec2(aws):
    assert audit(aws, platform_audit.main, ["HP-21"])["HP-21"]["status"] == "fail"

    aws.client("inspector2").enable(resourceTypes=["EC2"], accountIds=[ACCOUNT])
    found = audit(aws, platform_audit.main, ["HP-21"])["HP-21"]
    assert found["status"] == "pass", found


# ---------------------------------------------------------------- HP-22 EBS and snapshots


def stub_hp22(stubbed, enabled=True, default_key="arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555", policies=(), details=None):
    ec2 = stubbed("ec2")
    ec2.add_response("get_ebs_encryption_by_default", {"EbsEncryptionByDefault": enabled})
    ec2.add_response("get_ebs_default_kms_key_id", {"KmsKeyId": default_key})
    kms = stubbed("kms")
    kms.add_response("list_aliases", {"Aliases": [{"AliasName": "alias/healthplatform-lab-ebs", "TargetKeyId": "11111111-2222-3333-4444-555555555555"}]})
    dlm = stubbed("dlm")
    dlm.add_response("get_lifecycle_policies", {"Policies": list(policies)})
    for policy in policies:
        if policy["State"] == "ENABLED":
            dlm.add_response("get_lifecycle_policy", {"Policy": {"PolicyId": policy["PolicyId"], "PolicyDetails": details}}, {"PolicyId": policy["PolicyId"]})
    stubbed("sts").add_response("get_caller_identity", {"Account": ACCOUNT})
    ec2.add_response("describe_snapshots", {"Snapshots": []}, {"OwnerIds": ["self"], "RestorableByUserIds": ["all"]})


SCHEDULE = {
    "PolicyType": "EBS_SNAPSHOT_MANAGEMENT",
    "ResourceTypes": ["VOLUME"],
    "TargetTags": [{"Key": "Backup", "Value": "platform"}],
    "Schedules": [
        {
            "Name": "daily",
            "CreateRule": {"Interval": 24, "IntervalUnit": "HOURS"},
            "RetainRule": {"Count": 14},
            "CrossRegionCopyRules": [{"TargetRegion": "us-west-2", "Encrypted": True}],
        }
    ],
}


def test_snapshot_schedule_and_ebs_key_pass_hp22(stubbed):
    """Stubber: moto 5.2.5 has no DLM API and answers GetEbsDefaultKmsKeyId with unparsable XML."""
    stub_hp22(stubbed, policies=[{"PolicyId": "policy-1", "State": "ENABLED", "PolicyType": "EBS_SNAPSHOT_MANAGEMENT"}], details=SCHEDULE)

    found = findings(stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-22"]}))["HP-22"]

    assert found["status"] == "pass", found
    assert found["evidence"]["EbsDefaultKmsKey"] == "alias/healthplatform-lab-ebs"
    stubbed.assert_all_used()


def test_disabled_schedule_unencrypted_copies_and_aws_key_fail_hp22(stubbed):
    """Stubber: moto 5.2.5 has no DLM API and answers GetEbsDefaultKmsKeyId with unparsable XML."""
    details = json.loads(json.dumps(SCHEDULE))
    details["Schedules"][0]["CrossRegionCopyRules"][0]["Encrypted"] = False
    stub_hp22(
        stubbed,
        default_key="alias/aws/ebs",
        policies=[{"PolicyId": "policy-1", "State": "DISABLED"}, {"PolicyId": "policy-2", "State": "ENABLED"}],
        details=details,
    )

    found = findings(stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-22"]}))["HP-22"]

    assert found["status"] == "fail"
    assert "EBS encryption by default is encrypted with alias/aws/ebs, not a customer managed key" in found["reason"]
    assert "policy-2: copies to us-west-2 unencrypted" in found["reason"]
    stubbed.assert_all_used()


def test_no_schedule_fails_hp22(stubbed):
    """Stubber: moto 5.2.5 has no DLM API."""
    stub_hp22(stubbed, policies=[{"PolicyId": "policy-1", "State": "DISABLED"}])

    found = findings(stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-22"]}))["HP-22"]

    assert found["status"] == "fail"
    assert "no enabled Data Lifecycle Manager snapshot policy" in found["reason"]
    stubbed.assert_all_used()


def test_missing_dlm_and_default_key_are_unknown_on_the_emulator(aws):
    aws.client("ec2").enable_ebs_encryption_by_default()

    found = audit(aws, platform_audit.main, ["HP-22"])["HP-22"]

    assert found["status"] == "unknown"
    assert "Data Lifecycle Manager: GetLifecyclePolicies answered 500" in found["reason"]
    assert "default EBS key" in found["reason"]
    assert found["evidence"]["EbsEncryptionByDefault"] is True
    assert found["evidence"]["PublicSnapshots"] == []


def test_public_snapshot_fails_hp22(aws):
    ec2 = aws.client("ec2")
    ec2.enable_ebs_encryption_by_default()
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    ec2.modify_snapshot_attribute(SnapshotId=snapshot, Attribute="createVolumePermission", OperationType="add", GroupNames=["all"])

    found = audit(aws, platform_audit.main, ["HP-22"])["HP-22"]

    assert found["status"] == "fail", "a public snapshot fails the control, whatever could not be read"
    assert f"public snapshots: {snapshot}" in found["reason"]
