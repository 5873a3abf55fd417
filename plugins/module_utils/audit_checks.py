# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The control checks of the platform audit (docs/controls.md, CONTROLS.md): one function per control.

Each reads the evidence CONTROLS.md names, finds the platform's resources by the tags
(Platform, Environment) and names (<platform>-<environment>-...) the roles give them, and
returns a Finding (see audit.py for pass / fail / unknown). Nothing here writes to the account.
No secret value is ever read into the evidence: user data and Lambda environments are scanned
and only the names of what was found are kept.
"""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import re
import urllib.parse

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.audit import HIPAA_SECTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import READ_ERRORS
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import Check
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import Finding
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import is_error
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import pages
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import tags_of
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import unreadable
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import secret_findings
from ansible_collections.healthplatform.aws.plugins.module_utils.iam_policy import policy_errors

# The five IT duties of the design report (roles/identity: one group <prefix>-<duty> each).
DUTIES = ("end-user-support", "database-administration", "security", "system-administration", "super-admin")
# AWS managed policies that make a person or a platform role an administrator.
ADMIN_MANAGED_POLICIES = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")
# What the instance role may have (roles/identity): SSM core, the CloudWatch agent, read of its own secrets.
INSTANCE_MANAGED_POLICIES = ("AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy")
INSTANCE_SECRET_ACTIONS = ("secretsmanager:getsecretvalue", "secretsmanager:describesecret", "kms:decrypt")
# Pull mode (roles/state_manager): the instances read their bundle and write the run output, objects
# under the state-manager/ prefix of a platform bucket, with the objects key through S3 only.
INSTANCE_PULL_MODE_ACTIONS = ("s3:getobject", "s3:putobject", "kms:generatedatakey")
INSTANCE_PULL_MODE_PREFIX = "state-manager/"
# The AWS managed WAF rule groups HP-16 requires (roles/edge edge_waf_required_rule_groups).
WAF_REQUIRED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
# ELB security policies offering TLS 1.2+ only. Keep equal to plugins/filter/elb_tls_policy_errors.py
# (the edge role refuses anything else before any change; a unit test compares the two).
TLS12_PLUS = re.compile(r"^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)(-[A-Za-z0-9]+)*$")
# The CIS monitoring topics HP-19 names, each recognised in a metric filter pattern by the events it matches.
CIS_TOPICS = (
    ("unauthorized API calls", re.compile(r"UnauthorizedOperation|AccessDenied")),
    ("console sign-in without MFA", re.compile(r"MFAUsed")),
    ("root account use", re.compile(r"userIdentity\.type\s*=\s*\"?Root\b")),
    ("IAM policy changes", re.compile(r"\b(CreatePolicyVersion|AttachRolePolicy|PutUserPolicy|PutGroupPolicy|AttachUserPolicy)\b")),
    ("CloudTrail changes", re.compile(r"\b(StopLogging|DeleteTrail|UpdateTrail)\b")),
    ("KMS key disabled or deleted", re.compile(r"\b(ScheduleKeyDeletion|DisableKey)\b")),
    ("S3 bucket policy changes", re.compile(r"\bPutBucketPolicy\b")),
    ("security group changes", re.compile(r"\bAuthorizeSecurityGroupIngress\b")),
    ("network ACL changes", re.compile(r"\b(CreateNetworkAclEntry|ReplaceNetworkAclEntry)\b")),
    ("route table changes", re.compile(r"\b(CreateRoute|ReplaceRoute)\b")),
    ("VPC changes", re.compile(r"\b(CreateVpc|DeleteVpc|ModifyVpcAttribute)\b")),
)
# The CloudWatch agent's log groups and metrics (roles/cloudwatch_agent vars/main.yml).
AGENT_LOG_GROUPS = ("system", "auth", "nginx-access", "nginx-error")
AGENT_METRICS = ("mem_used_percent", "disk_used_percent")
# Patch baselines of these systems approve by CLASSIFICATION; Debian and Ubuntu by PRIORITY.
CLASSIFICATION_SYSTEMS = (
    "WINDOWS",
    "AMAZON_LINUX",
    "AMAZON_LINUX_2",
    "AMAZON_LINUX_2022",
    "AMAZON_LINUX_2023",
    "REDHAT_ENTERPRISE_LINUX",
    "CENTOS",
    "ORACLE_LINUX",
    "SUSE",
    "ROCKY_LINUX",
    "ALMA_LINUX",
)
PRIORITY_SYSTEMS = ("DEBIAN", "UBUNTU", "RASPBIAN")
SECURITY_CLASSIFICATIONS = ("Security", "SecurityUpdates", "CriticalUpdates")
MIN_BACKUP_RETENTION_DAYS = 7
MAX_ROTATION_DAYS = 30
# Environment variable names that look like secrets (roles/app_services vars/main.yml).
SECRET_LIKE_NAME = re.compile(r"(?i)(PASSW(OR)?D|SECRET|TOKEN|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL|PASSPHRASE)")


# ---------------------------------------------------------------- helpers


def _document(document):
    """An IAM policy document as a dict (the API may hand it over URL-encoded)."""
    if isinstance(document, dict):
        return document
    text = document or "{}"
    try:
        return json.loads(text)
    except ValueError:
        return json.loads(urllib.parse.unquote(text))


def _statements(document):
    statements = _document(document).get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _enforces_mfa(document):
    """Whether a policy denies (all but MFA self-service) when aws:MultiFactorAuthPresent is false."""
    for statement in _statements(document):
        if statement.get("Effect") != "Deny":
            continue
        for operator, keys in (statement.get("Condition") or {}).items():
            if operator.lower() not in ("bool", "boolifexists"):
                continue
            for key, value in (keys or {}).items():
                if key.lower() == "aws:multifactorauthpresent" and [str(v).lower() for v in _as_list(value)] == ["false"]:
                    return True
    return False


def _default_document(policy):
    for version in policy.get("PolicyVersionList") or []:
        if version.get("IsDefaultVersion") or version.get("VersionId") == policy.get("DefaultVersionId"):
            return version.get("Document") or {}
    return {}


def _policy_name(arn):
    return arn.rsplit("/", 1)[-1]


def _principal_documents(principal, policies, inline_key):
    """(name, document) of a user's, group's or role's customer managed and inline policies."""
    documents = []
    for attached in principal.get("AttachedManagedPolicies") or []:
        policy = policies.get(attached["PolicyArn"])
        if policy is not None:
            documents.append((attached.get("PolicyName") or _policy_name(attached["PolicyArn"]), _default_document(policy)))
    for inline in principal.get(inline_key) or []:
        documents.append((f"inline {inline['PolicyName']}", inline.get("PolicyDocument") or {}))
    return documents


def _aws_managed(attached):
    return ":iam::aws:policy/" in attached.get("PolicyArn", "")


def _user_data(encoded):
    """Launch template user data as text (base64, possibly gzip-compressed, as cloud-init accepts it)."""
    if not encoded:
        return ""
    try:
        raw = base64.b64decode(encoded)
    except (ValueError, TypeError):
        return ""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except OSError:
            return ""
    return raw.decode("utf-8", "replace")


def _template_label(version):
    return f"{version['LaunchTemplateName']} v{version['VersionNumber']}"


def _lb_name(lb):
    return lb.get("LoadBalancerName") or lb["LoadBalancerArn"]


def _rotation_days(rules):
    """Days between rotations of a secret's RotationRules; None when a cron schedule decides."""
    if rules.get("AutomaticallyAfterDays"):
        return int(rules["AutomaticallyAfterDays"])
    match = re.match(r"^rate\(\s*(\d+)\s+(hours?|days?)\s*\)$", rules.get("ScheduleExpression") or "")
    if match:
        value = int(match.group(1))
        return max(1, value // 24) if match.group(2).startswith("hour") else value
    return None


def _schedule_kind(expression):
    """daily, weekly or monthly for a Backup schedule expression (cron or rate); None otherwise."""
    expression = (expression or "").strip()
    rate = re.match(r"^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$", expression)
    if rate:
        unit, value = rate.group(2), int(rate.group(1))
        if unit.startswith("day"):
            return "daily" if value == 1 else ("weekly" if value == 7 else None)
        return "daily"
    cron = re.match(r"^cron\((.+)\)$", expression)
    if not cron:
        return None
    fields = cron.group(1).split()
    if len(fields) != 6:
        return None
    day_of_month, day_of_week = fields[2], fields[4]
    if day_of_month not in ("*", "?"):
        return "monthly"
    if day_of_week not in ("*", "?"):
        return "weekly"
    return "daily"


def _parameter_on(value):
    return str(value).strip().lower() in ("1", "on", "true")


# ---------------------------------------------------------------- HP-01 MFA


def _credential_report(context, check):
    """{user name: (password enabled, MFA active)} from the current credential report; {} when there is none.

    The audit never generates a report (that is a write); without a current one, users are read one by one.
    """
    try:
        report = context.client("iam").get_credential_report(aws_retry=True)
    except botocore.exceptions.ClientError as e:
        if is_error(e, "ReportNotPresent", "ReportExpired", "ReportInProgress"):
            check.evidence["CredentialReport"] = f"none current ({e.response['Error']['Code']}): users read one by one"
            return {}
        raise
    content = report.get("Content") or b""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
    rows = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("user") and row["user"] != "<root_account>":
            rows[row["user"]] = (row.get("password_enabled") == "true", row.get("mfa_active") == "true")
    check.evidence["CredentialReport"] = f"generated {report.get('GeneratedTime')}"
    return rows


def check_hp01(context):
    check = Check("HP-01")
    users = None
    with check.part("IAM groups and policies"):
        details = context.iam_details()
        policies = {p["Arn"]: p for p in details["Policies"]}
        groups = details["GroupDetailList"]
        users = [u["UserName"] for u in details["UserDetailList"]]
        if not groups:
            check.fail("no IAM group: there is no human group to enforce MFA on")
        enforcing = {}
        for group in groups:
            names = [name for name, document in _principal_documents(group, policies, "GroupPolicyList") if _enforces_mfa(document)]
            enforcing[group["GroupName"]] = names
            if not names:
                check.fail(f"group {group['GroupName']} has no MFA-enforcement policy (Deny without aws:MultiFactorAuthPresent)")
        check.evidence["GroupMfaPolicies"] = enforcing
    if users is not None:
        with check.part("console passwords and MFA devices"):
            iam = context.client("iam")
            rows = _credential_report(context, check)
            without_mfa, console = [], []
            for user in users:
                if user in rows:
                    password, mfa = rows[user]
                else:
                    try:
                        iam.get_login_profile(UserName=user, aws_retry=True)
                        password = True
                    except botocore.exceptions.ClientError as e:
                        if not is_error(e, "NoSuchEntity"):
                            raise
                        password = False
                    mfa = bool(password and iam.list_mfa_devices(UserName=user, aws_retry=True).get("MFADevices"))
                if password:
                    console.append(user)
                    if not mfa:
                        without_mfa.append(user)
            check.evidence["ConsoleUsers"] = len(console)
            check.evidence["ConsoleUsersWithoutMfa"] = without_mfa
            if without_mfa:
                check.fail(f"console users without MFA: {', '.join(without_mfa)}")
    return check.finding()


# ---------------------------------------------------------------- HP-02 portal user pools


def check_hp02(context):
    check = Check("HP-02")
    cognito = context.client("cognito-idp")
    with check.part("user pools"):
        pools = [p for p in pages(cognito, "list_user_pools", "UserPools", MaxResults=60) if p.get("Name", "").startswith(f"{context.prefix}-")]
        if not pools:
            check.fail(f"no Cognito user pool named {context.prefix}-*")
        for pool in pools:
            name = pool["Name"]
            with check.part(f"user pool {name}"):
                described = cognito.describe_user_pool(UserPoolId=pool["Id"], aws_retry=True)["UserPool"]
                mfa = cognito.get_user_pool_mfa_config(UserPoolId=pool["Id"], aws_retry=True)
                totp = bool((mfa.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled"))
                security = (described.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode")
                password = (described.get("Policies") or {}).get("PasswordPolicy") or {}
                check.evidence[name] = {
                    "MfaConfiguration": mfa.get("MfaConfiguration"),
                    "Totp": totp,
                    "AdvancedSecurityMode": security,
                    "PasswordPolicy": password,
                }
                if mfa.get("MfaConfiguration") != "ON":
                    check.fail(f"{name}: MFA is {mfa.get('MfaConfiguration', 'OFF')}, not ON")
                if not totp:
                    check.fail(f"{name}: TOTP (software token) MFA is not enabled")
                if security != "ENFORCED":
                    check.fail(f"{name}: advanced security (threat protection) is {security or 'off'}, not ENFORCED")
                if password.get("MinimumLength", 0) < context.settings["password_min_length"]:
                    check.fail(f"{name}: password minimum length {password.get('MinimumLength')} < {context.settings['password_min_length']}")
                for key in ("RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols"):
                    if not password.get(key):
                        check.fail(f"{name}: password policy {key} is off")
    return check.finding()


# ---------------------------------------------------------------- HP-03 account password policy


def check_hp03(context):
    check = Check("HP-03")
    settings = context.settings
    with check.part("account password policy"):
        try:
            policy = context.client("iam").get_account_password_policy(aws_retry=True)["PasswordPolicy"]
        except botocore.exceptions.ClientError as e:
            if not is_error(e, "NoSuchEntity"):
                raise
            check.evidence["PasswordPolicy"] = None
            check.fail("the account has no password policy")
            return check.finding()
        check.evidence["PasswordPolicy"] = policy
        if policy.get("MinimumPasswordLength", 0) < settings["password_min_length"]:
            check.fail(f"minimum length {policy.get('MinimumPasswordLength')} < {settings['password_min_length']}")
        for key in ("RequireSymbols", "RequireNumbers", "RequireUppercaseCharacters", "RequireLowercaseCharacters"):
            if not policy.get(key):
                check.fail(f"{key} is off")
        if policy.get("PasswordReusePrevention", 0) < 24:
            check.fail(f"reuse prevention {policy.get('PasswordReusePrevention', 0)} < 24")
        if not policy.get("ExpirePasswords") or policy.get("MaxPasswordAge", 0) > 90:
            check.fail(f"max age {policy.get('MaxPasswordAge', 'unset')} > 90")
    return check.finding()


# ---------------------------------------------------------------- HP-04, HP-05 S3


def _platform_buckets(context):
    """The buckets of the data and edge roles: <prefix>-..., and the log bucket aws-waf-logs-<prefix>-... (WAF's required prefix)."""
    prefix = context.settings["bucket_prefix"]
    return [b for b in context.buckets() if b.startswith(prefix) or b.startswith(f"aws-waf-logs-{prefix}")]


def _records_buckets(context):
    if context.settings["records_bucket"]:
        return [context.settings["records_bucket"]]
    name = f"{context.settings['bucket_prefix']}records"
    # roles/data names it <prefix>records-<account>-<region> unless data_records_bucket_name says otherwise
    return [b for b in context.buckets() if b == name or b.startswith(f"{name}-")]


def check_hp04(context):
    check = Check("HP-04")
    s3 = context.client("s3")
    with check.part("records bucket"):
        buckets = _records_buckets(context)
        if not buckets:
            check.fail(f"no records bucket named {context.settings['bucket_prefix']}records[-*]")
        for bucket in buckets:
            with check.part(bucket):
                try:
                    lock = s3.get_object_lock_configuration(Bucket=bucket, aws_retry=True)["ObjectLockConfiguration"]
                except botocore.exceptions.ClientError as e:
                    if not is_error(e, "NoSuchBucket", "ObjectLockConfigurationNotFoundError"):
                        raise
                    check.evidence[bucket] = {"ObjectLock": e.response["Error"]["Code"]}
                    check.fail(f"{bucket}: {e.response['Error']['Code']}")
                    continue
                versioning = s3.get_bucket_versioning(Bucket=bucket, aws_retry=True).get("Status")
                retention = lock.get("Rule", {}).get("DefaultRetention", {})
                days = retention.get("Days") or (retention.get("Years") or 0) * 365
                check.evidence[bucket] = {"ObjectLockConfiguration": lock, "Versioning": versioning}
                if lock.get("ObjectLockEnabled") != "Enabled":
                    check.fail(f"{bucket}: Object Lock is not enabled")
                if not retention:
                    check.fail(f"{bucket}: no default retention")
                elif days < context.settings["object_lock_min_days"]:
                    check.fail(f"{bucket}: default retention {days} days < {context.settings['object_lock_min_days']}")
                if context.production and retention.get("Mode") != "COMPLIANCE":
                    check.fail(f"{bucket}: retention mode {retention.get('Mode')} is not COMPLIANCE in production")
                if versioning != "Enabled":
                    check.fail(f"{bucket}: versioning is not enabled")
    return check.finding()


def _tls_only(policy_text):
    if not policy_text:
        return False
    for statement in _statements(policy_text):
        for operator in ("Bool", "BoolIfExists"):
            condition = (statement.get("Condition") or {}).get(operator, {})
            if statement.get("Effect") == "Deny" and [str(v).lower() for v in _as_list(condition.get("aws:SecureTransport"))] == ["false"]:
                return True
    return False


def check_hp05(context):
    check = Check("HP-05")
    s3 = context.client("s3")
    with check.part("account public access block"):
        try:
            block = context.client("s3control").get_public_access_block(AccountId=context.account_id(), aws_retry=True)["PublicAccessBlockConfiguration"]
        except botocore.exceptions.ClientError as e:
            if not is_error(e, "NoSuchPublicAccessBlockConfiguration"):
                raise
            block = {}
        check.evidence["AccountPublicAccessBlock"] = block
        if len(block) < 4 or not all(block.values()):
            check.fail("the account's S3 public access block is not fully on")
    with check.part("buckets"):
        buckets = _platform_buckets(context)
        if not buckets:
            check.fail(f"no bucket named {context.settings['bucket_prefix']}*")
        # Elastic Load Balancing delivers application load balancer access logs only to buckets with
        # SSE-S3 (it cannot use a KMS key): the one exception to SSE-KMS, stated in the evidence.
        try:
            access_log_buckets = context.access_log_buckets()
        except botocore.exceptions.ClientError as e:
            check.unread.append(f"load balancer access log buckets: {e.response['Error']['Code']}")
            access_log_buckets = set()
        for bucket in buckets:
            with check.part(bucket):
                item = {}
                try:
                    rules = s3.get_bucket_encryption(Bucket=bucket, aws_retry=True)["ServerSideEncryptionConfiguration"]["Rules"]
                except botocore.exceptions.ClientError as e:
                    if not is_error(e, "ServerSideEncryptionConfigurationNotFoundError"):
                        raise
                    rules = []
                algorithms = [r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for r in rules]
                item["SSEAlgorithm"] = algorithms
                if bucket in access_log_buckets and algorithms == ["AES256"]:
                    item["Exception"] = "load balancer access logs: Elastic Load Balancing supports only SSE-S3 (AES256) on their bucket"
                elif "aws:kms" not in algorithms and "aws:kms:dsse" not in algorithms:
                    check.fail(f"{bucket}: default encryption is {'/'.join(a for a in algorithms if a) or 'none'}, not SSE-KMS")
                try:
                    block = s3.get_public_access_block(Bucket=bucket, aws_retry=True)["PublicAccessBlockConfiguration"]
                except botocore.exceptions.ClientError as e:
                    if not is_error(e, "NoSuchPublicAccessBlockConfiguration"):
                        raise
                    block = {}
                item["PublicAccessBlock"] = block
                if not (block and all(block.values()) and len(block) == 4):
                    check.fail(f"{bucket}: public access block is not fully on")
                try:
                    policy = s3.get_bucket_policy(Bucket=bucket, aws_retry=True)["Policy"]
                except botocore.exceptions.ClientError as e:
                    if not is_error(e, "NoSuchBucketPolicy"):
                        raise
                    policy = ""
                item["TlsOnlyPolicy"] = _tls_only(policy)
                if not item["TlsOnlyPolicy"]:
                    check.fail(f"{bucket}: no Deny on aws:SecureTransport=false")
                try:
                    ownership = s3.get_bucket_ownership_controls(Bucket=bucket, aws_retry=True)["OwnershipControls"]["Rules"]
                except botocore.exceptions.ClientError as e:
                    if not is_error(e, "OwnershipControlsNotFoundError"):
                        raise
                    ownership = []
                item["ObjectOwnership"] = [r.get("ObjectOwnership") for r in ownership]
                if "BucketOwnerEnforced" not in item["ObjectOwnership"]:
                    check.fail(f"{bucket}: object ownership is not BucketOwnerEnforced (ACLs still apply)")
                check.evidence[bucket] = item
    return check.finding()


# ---------------------------------------------------------------- HP-06 database credentials


def _standalone(instances):
    return [d for d in instances if not d.get("DBClusterIdentifier")]


def check_hp06(context):
    check = Check("HP-06")
    with check.part("databases and secrets"):
        instances, clusters, _zones = context.databases()
        secrets = context.shared("secrets", lambda: pages(context.client("secretsmanager"), "list_secrets", "SecretList"))
        databases = [(d["DBInstanceIdentifier"], d) for d in _standalone(instances)] + [(c["DBClusterIdentifier"], c) for c in clusters]
        if not databases:
            check.fail("no platform database (RDS instance or Aurora cluster tagged Platform/Environment)")
        wanted = []
        for name, database in databases:
            secret = database.get("MasterUserSecret")
            if not secret:
                check.fail(f"{name}: the master password is not managed by RDS in Secrets Manager (no MasterUserSecret)")
                continue
            wanted.append(secret["SecretArn"])
        wanted += [s["ARN"] for s in secrets if s.get("Name", "").startswith(f"{context.prefix}/")]
        by_arn = {s["ARN"]: s for s in secrets}
        found = {}
        for arn in dict.fromkeys(wanted):
            secret = by_arn.get(arn)
            if secret is None:
                secret = context.client("secretsmanager").describe_secret(SecretId=arn, aws_retry=True)
            name = secret.get("Name", arn)
            days = _rotation_days(secret.get("RotationRules") or {})
            key_problem = context.key_problem(secret.get("KmsKeyId"), "secrets", name)
            found[name] = {"RotationEnabled": bool(secret.get("RotationEnabled")), "RotationDays": days, "KmsKey": context.key_label(secret.get("KmsKeyId"))[1]}
            if key_problem:
                check.fail(key_problem)
            if not secret.get("RotationEnabled"):
                check.fail(f"{name}: rotation is off")
            elif days is not None and days > MAX_ROTATION_DAYS:
                check.fail(f"{name}: rotated every {days} days (> {MAX_ROTATION_DAYS})")
        check.evidence["Secrets"] = found
    return check.finding()


# ---------------------------------------------------------------- HP-07 no secrets in user data or Lambda environments


def check_hp07(context):
    check = Check("HP-07")
    scanned = 0
    with check.part("launch template user data"):
        versions = context.launch_template_versions()
        checked = {}
        for version in versions:
            label = _template_label(version)
            found = secret_findings(_user_data(version.get("LaunchTemplateData", {}).get("UserData")))
            checked[label] = found or "clean"
            if found:
                check.fail(f"{label}: user data looks like it holds a secret ({', '.join(found)})")
        scanned += len(versions)
        check.evidence["LaunchTemplateVersions"] = checked
    check.note("instance user data is the launch template's (the platform's instances launch from it)")
    with check.part("Lambda environments"):
        functions = [
            f
            for f in pages(context.client("lambda"), "list_functions", "Functions", page_in="Marker", page_out="NextMarker")
            if f["FunctionName"].startswith(f"{context.prefix}-")
        ]
        checked = {}
        for function in functions:
            variables = (function.get("Environment") or {}).get("Variables") or {}
            found = []
            for key, value in variables.items():
                text = str(value)
                if SECRET_LIKE_NAME.search(key) and not (text.startswith("arn:") or text.startswith("{{resolve:")):
                    found.append(f"{key} (name looks like a secret)")
                found += [f"{key} ({kind})" for kind in secret_findings(f"{key}={text}")]
            checked[function["FunctionName"]] = sorted(set(found)) or "clean"
            if found:
                check.fail(f"{function['FunctionName']}: environment looks like it holds secrets: {', '.join(sorted(set(found)))}")
        scanned += len(functions)
        check.evidence["Functions"] = checked
    if scanned == 0 and not check.unread:
        check.fail(f"nothing to scan: no launch template or function of {context.prefix}")
    return check.finding()


# ---------------------------------------------------------------- HP-08 availability


def check_hp08(context):
    check = Check("HP-08")
    with check.part("load balancers"):
        lbs = context.load_balancers()
        if not lbs:
            check.fail("no platform application load balancer (tagged Platform/Environment)")
        for lb in lbs:
            name = _lb_name(lb)
            zones = sorted({z["ZoneName"] for z in lb.get("AvailabilityZones", [])})
            item = {"AvailabilityZones": zones}
            check.evidence[name] = item
            if len(zones) < 2:
                check.fail(f"{name} spans {len(zones)} availability zone(s) (< 2)")
            with check.part(f"{name} attributes"):
                attributes = context.load_balancer_attributes(lb["LoadBalancerArn"])
                for key, what in (
                    ("deletion_protection.enabled", "deletion protection"),
                    ("routing.http.drop_invalid_header_fields.enabled", "dropping invalid headers"),
                ):
                    item[key] = attributes.get(key)
                    if key not in attributes:
                        check.unread.append(f"{name}: the endpoint does not report {key}")
                    elif attributes[key] != "true":
                        check.fail(f"{name}: {what} is off")
    with check.part("Auto Scaling groups"):
        groups = context.autoscaling_groups()
        if not groups:
            check.fail("no platform Auto Scaling group (tagged Platform/Environment)")
        if groups:
            policies = pages(context.client("autoscaling"), "describe_policies", "ScalingPolicies")
            for group in groups:
                name = group["AutoScalingGroupName"]
                tracking = [
                    p["PolicyName"]
                    for p in policies
                    if p.get("AutoScalingGroupName") == name and p.get("PolicyType") == "TargetTrackingScaling" and p.get("Enabled", True)
                ]
                template = group.get("LaunchTemplate") or (group.get("MixedInstancesPolicy") or {}).get("LaunchTemplate")
                zones = sorted(group.get("AvailabilityZones", []))
                check.evidence[name] = {
                    "AvailabilityZones": zones,
                    "HealthCheckType": group.get("HealthCheckType"),
                    "LaunchTemplate": bool(template),
                    "TargetTrackingPolicies": tracking,
                }
                if len(zones) < 2:
                    check.fail(f"{name} spans {len(zones)} availability zone(s) (< 2)")
                if not template:
                    check.fail(f"{name} does not launch from a launch template")
                if group.get("HealthCheckType") != "ELB":
                    check.fail(f"{name} health check is {group.get('HealthCheckType')}, not ELB")
                if not tracking:
                    check.fail(f"{name} has no target tracking scaling policy")
    return check.finding()


# ---------------------------------------------------------------- HP-09 least privilege


def _instance_role(context, check, roles):
    """The role of the instance profile the platform's launch templates name (else the identity role's name for it)."""
    profiles = set()
    with check.part("launch templates (instance profile)"):
        for version in context.launch_template_versions():
            profile = version.get("LaunchTemplateData", {}).get("IamInstanceProfile") or {}
            if profile.get("Name") or profile.get("Arn"):
                profiles.add(profile.get("Name") or profile["Arn"].rsplit("/", 1)[-1])
    by_profile = [r for r in roles if any(p.get("InstanceProfileName") in profiles for p in r.get("InstanceProfileList") or [])]
    return by_profile or [r for r in roles if r["RoleName"] == f"{context.prefix}-instance"]


def _instance_role_problems(context, role, policies):
    problems = []
    name = role["RoleName"]
    for attached in role.get("AttachedManagedPolicies") or []:
        if _aws_managed(attached) and attached["PolicyName"] not in INSTANCE_MANAGED_POLICIES:
            problems.append(f"instance role {name} has the AWS managed policy {attached['PolicyName']} (only {', '.join(INSTANCE_MANAGED_POLICIES)})")
    for policy_name, document in _principal_documents(role, policies, "RolePolicyList"):
        for statement in _statements(document):
            if statement.get("Effect") != "Allow":
                continue
            actions = [a.lower() for a in _as_list(statement.get("Action"))]
            extra = [a for a in actions if a not in INSTANCE_SECRET_ACTIONS + INSTANCE_PULL_MODE_ACTIONS]
            extra += ["NotAction"] if "NotAction" in statement else []
            if extra:
                problems.append(f"instance role {name}: {policy_name} allows {', '.join(extra)} (only reading its own secrets and its pull-mode bundle)")
            resources = _as_list(statement.get("Resource"))
            s3_actions = [a for a in actions if a.startswith("s3:")]
            bundle = re.compile(rf"^arn:[a-z-]+:s3:::{re.escape(context.prefix)}-[a-z0-9.-]+/{re.escape(INSTANCE_PULL_MODE_PREFIX)}")
            outside = [r for r in resources if not bundle.match(r)]
            if s3_actions and outside:
                problems.append(
                    f"instance role {name}: {policy_name} allows {', '.join(s3_actions)} on {', '.join(outside)} "
                    f"(only objects under {INSTANCE_PULL_MODE_PREFIX} of the platform's buckets)"
                )
            if "kms:generatedatakey" in actions and not (statement.get("Condition") or {}).get("StringEquals", {}).get("kms:ViaService", "").startswith("s3."):
                problems.append(f"instance role {name}: {policy_name} allows kms:GenerateDataKey other than through S3")
            if any(a.startswith("secretsmanager:") for a in actions) and not all(f":secret:{context.prefix}/" in r for r in resources):
                problems.append(f"instance role {name}: {policy_name} reads secrets outside {context.prefix}/")
            if "kms:decrypt" in actions and "*" in resources and not statement.get("Condition"):
                problems.append(f"instance role {name}: {policy_name} allows kms:Decrypt with any key, unconditionally")
    return problems


def check_hp09(context):
    check = Check("HP-09")
    with check.part("IAM"):
        details = context.iam_details()
        policies = {p["Arn"]: p for p in details["Policies"]}
        groups = {g["GroupName"]: g for g in details["GroupDetailList"]}
        duty_groups = {}
        for duty in DUTIES:
            name = f"{context.prefix}-{duty}"
            group = groups.get(name)
            if group is None:
                check.fail(f"no IAM group {name} for the {duty} duty")
                continue
            duty_policies = [n for n, document in _principal_documents(group, policies, "GroupPolicyList") if not _enforces_mfa(document)]
            duty_policies += [a["PolicyName"] for a in group.get("AttachedManagedPolicies") or [] if _aws_managed(a)]
            duty_groups[name] = duty_policies
            if not duty_policies:
                check.fail(f"group {name} has no duty policy")
        check.evidence["DutyGroups"] = duty_groups
        users_with_policies = [u["UserName"] for u in details["UserDetailList"] if (u.get("AttachedManagedPolicies") or u.get("UserPolicyList"))]
        check.evidence["UsersWithOwnPolicies"] = users_with_policies
        if users_with_policies:
            check.fail(f"users with policies of their own (only groups grant permissions): {', '.join(users_with_policies)}")
        platform_roles = [r for r in details["RoleDetailList"] if r["RoleName"].startswith(f"{context.prefix}-") or r.get("Path") == context.iam_path]
        # Administrators by AWS managed policy: people (users, groups) and the platform's roles.
        for kind, principals in (("user", details["UserDetailList"]), ("group", list(groups.values())), ("role", platform_roles)):
            for principal in principals:
                label = principal.get("UserName") or principal.get("GroupName") or principal.get("RoleName")
                for attached in principal.get("AttachedManagedPolicies") or []:
                    if _aws_managed(attached) and attached["PolicyName"] in ADMIN_MANAGED_POLICIES:
                        check.fail(f"{kind} {label} has {attached['PolicyName']}")
        # Customer managed policies in use, and the inline policies of people and platform roles.
        examined = []
        for policy in details["Policies"]:
            if not policy.get("AttachmentCount"):
                continue
            name = _policy_name(policy["Arn"])
            examined.append(name)
            for problem in policy_errors(_default_document(policy), name):
                check.fail(problem)
        for inline_key, principals in (
            ("UserPolicyList", details["UserDetailList"]),
            ("GroupPolicyList", list(groups.values())),
            ("RolePolicyList", platform_roles),
        ):
            for principal in principals:
                label = principal.get("UserName") or principal.get("GroupName") or principal.get("RoleName")
                for inline in principal.get(inline_key) or []:
                    name = f"{label} inline {inline['PolicyName']}"
                    examined.append(name)
                    for problem in policy_errors(_document(inline.get("PolicyDocument")), name):
                        check.fail(problem)
        check.evidence["PoliciesExamined"] = examined
        roles = _instance_role(context, check, details["RoleDetailList"])
        check.evidence["InstanceRoles"] = {
            r["RoleName"]: [a["PolicyName"] for a in r.get("AttachedManagedPolicies") or []]
            + [f"inline {p['PolicyName']}" for p in r.get("RolePolicyList") or []]
            for r in roles
        }
        if not roles:
            check.fail(f"no instance role found (named by the launch template's instance profile, or {context.prefix}-instance)")
        for role in roles:
            for problem in _instance_role_problems(context, role, policies):
                check.fail(problem)
    return check.finding()


# ---------------------------------------------------------------- HP-10 database encryption and access


def _parameter(context, group, names, cluster):
    """{name: value} of the parameters ``names`` set in a DB (cluster) parameter group (user values, else defaults)."""
    rds = context.client("rds")
    method, group_key = ("describe_db_cluster_parameters", "DBClusterParameterGroupName") if cluster else ("describe_db_parameters", "DBParameterGroupName")
    found = {}
    for source in ("user", None):
        request = {group_key: group}
        if source:
            request["Source"] = source
        for parameter in pages(rds, method, "Parameters", page_in="Marker", **request):
            if parameter.get("ParameterName") in names and "ParameterValue" in parameter:
                found.setdefault(parameter["ParameterName"], parameter["ParameterValue"])
        if found:
            return found
    return found


TLS_PARAMETERS = ("rds.force_ssl", "require_secure_transport")


def check_hp10(context):
    check = Check("HP-10")
    with check.part("databases"):
        instances, clusters, _zones = context.databases()
        if not instances and not clusters:
            check.fail("no platform database (RDS instance or Aurora cluster tagged Platform/Environment)")
        for db in instances:
            name = db["DBInstanceIdentifier"]
            item = {"PubliclyAccessible": db.get("PubliclyAccessible")}
            check.evidence[name] = item
            if db.get("PubliclyAccessible"):
                check.fail(f"{name} is publicly accessible")
            if db.get("DBClusterIdentifier"):
                continue  # storage, key, protection and parameters are the cluster's
            item.update(
                StorageEncrypted=db.get("StorageEncrypted"),
                KmsKey=context.key_label(db.get("KmsKeyId"))[1],
                DeletionProtection=db.get("DeletionProtection"),
                IAMDatabaseAuthenticationEnabled=db.get("IAMDatabaseAuthenticationEnabled"),
            )
            _database_problems(context, check, name, db)
            for group in db.get("DBParameterGroups") or []:
                with check.part(f"{name} parameter group {group['DBParameterGroupName']}"):
                    values = _parameter(context, group["DBParameterGroupName"], TLS_PARAMETERS, cluster=False)
                    item["TlsParameters"] = values
                    if not any(_parameter_on(v) for v in values.values()):
                        check.fail(f"{name}: TLS is not forced (rds.force_ssl / require_secure_transport is not 1 in {group['DBParameterGroupName']})")
        for cluster in clusters:
            name = cluster["DBClusterIdentifier"]
            item = {
                "StorageEncrypted": cluster.get("StorageEncrypted"),
                "KmsKey": context.key_label(cluster.get("KmsKeyId"))[1],
                "DeletionProtection": cluster.get("DeletionProtection"),
                "IAMDatabaseAuthenticationEnabled": cluster.get("IAMDatabaseAuthenticationEnabled"),
            }
            check.evidence[name] = item
            _database_problems(context, check, name, cluster)
            group = cluster.get("DBClusterParameterGroup")
            if group:
                with check.part(f"{name} cluster parameter group {group}"):
                    values = _parameter(context, group, TLS_PARAMETERS, cluster=True)
                    item["TlsParameters"] = values
                    if not any(_parameter_on(v) for v in values.values()):
                        check.fail(f"{name}: TLS is not forced (rds.force_ssl / require_secure_transport is not 1 in {group})")
    return check.finding()


def _database_problems(context, check, name, db):
    if not db.get("StorageEncrypted"):
        check.fail(f"{name}: storage is not encrypted")
    else:
        problem = context.key_problem(db.get("KmsKeyId"), "database", f"{name} storage")
        if problem:
            check.fail(problem)
    if not db.get("DeletionProtection"):
        check.fail(f"{name}: deletion protection is off")
    if not db.get("IAMDatabaseAuthenticationEnabled"):
        check.fail(f"{name}: IAM database authentication is off")


# ---------------------------------------------------------------- HP-11 KMS


def check_hp11(context):
    check = Check("HP-11")
    kms = context.client("kms")
    with check.part("customer keys"):
        prefix = f"alias/{context.prefix}-"
        ours = sorted((name, key_id) for key_id, names in context.key_aliases().items() for name in names if name.startswith(prefix))
        if not ours:
            check.fail(f"no customer key aliased {prefix}*")
        keys = []
        for alias, key_id in ours:
            key = kms.describe_key(KeyId=key_id, aws_retry=True)["KeyMetadata"]
            rotation = kms.get_key_rotation_status(KeyId=key_id, aws_retry=True)["KeyRotationEnabled"]
            keys.append({"Alias": alias, "KeyState": key["KeyState"], "KeyRotationEnabled": rotation})
            if not rotation:
                check.fail(f"{alias}: rotation is off")
            if key["KeyState"] != "Enabled":
                check.fail(f"{alias}: key is {key['KeyState']}")
        check.evidence["Keys"] = keys
    return check.finding()


# ---------------------------------------------------------------- HP-12, HP-13, HP-17 network


def check_hp12(context):
    check = Check("HP-12")
    ec2 = context.client("ec2")
    with check.part("flow logs"):
        vpcs = context.platform_vpcs()
        if not vpcs:
            check.fail("no platform VPC found")
        for vpc in vpcs:
            flow_logs = pages(ec2, "describe_flow_logs", "FlowLogs", Filters=[{"Name": "resource-id", "Values": [vpc["VpcId"]]}])
            check.evidence[vpc["VpcId"]] = [{k: f.get(k) for k in ("FlowLogId", "FlowLogStatus", "TrafficType", "LogDestinationType")} for f in flow_logs]
            if not any(f.get("FlowLogStatus") == "ACTIVE" and f.get("TrafficType") == "ALL" for f in flow_logs):
                check.fail(f"{vpc['VpcId']}: no active flow log of ALL traffic")
    return check.finding()


def check_hp13(context):
    check = Check("HP-13")
    resolver = context.client("route53resolver")
    vpcs = []
    with check.part("platform VPCs"):
        vpcs = context.platform_vpcs()
        if not vpcs:
            check.fail("no platform VPC found")
    if not vpcs:
        return check.finding()
    with check.part("DNS Firewall"):
        associations = pages(resolver, "list_firewall_rule_group_associations", "FirewallRuleGroupAssociations")
        check.evidence["FirewallAssociations"] = [{k: a.get(k) for k in ("FirewallRuleGroupId", "VpcId", "Status")} for a in associations]
        rules_of = {}
        for vpc in vpcs:
            blocking = False
            for association in (a for a in associations if a.get("VpcId") == vpc["VpcId"] and a.get("Status") == "COMPLETE"):
                group = association["FirewallRuleGroupId"]
                if group not in rules_of:
                    rules_of[group] = pages(resolver, "list_firewall_rules", "FirewallRules", FirewallRuleGroupId=group)
                blocking = blocking or any(r.get("Action") == "BLOCK" for r in rules_of[group])
            if not blocking:
                check.fail(f"{vpc['VpcId']}: no associated rule group with a BLOCK rule")
    with check.part("resolver query logging"):
        logging = pages(resolver, "list_resolver_query_log_config_associations", "ResolverQueryLogConfigAssociations")
        check.evidence["QueryLogAssociations"] = [{k: a.get(k) for k in ("ResolverQueryLogConfigId", "ResourceId", "Status")} for a in logging]
        for vpc in vpcs:
            if not any(a.get("ResourceId") == vpc["VpcId"] and a.get("Status", "ACTIVE") in ("ACTIVE", "CREATING") for a in logging):
                check.fail(f"{vpc['VpcId']}: no resolver query logging")
    return check.finding()


def check_hp17(context):
    check = Check("HP-17")
    ec2 = context.client("ec2")
    with check.part("subnets and security groups"):
        vpcs = context.platform_vpcs()
        if not vpcs:
            check.fail("no platform VPC found")
        for vpc in vpcs:
            vpc_filter = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
            subnets = pages(ec2, "describe_subnets", "Subnets", Filters=vpc_filter)
            tiers = {}
            for subnet in subnets:
                tier = tags_of(subnet).get("Tier", "untiered")
                tiers.setdefault(tier, set()).add(subnet["AvailabilityZone"])
                if subnet.get("MapPublicIpOnLaunch"):
                    check.fail(f"{subnet['SubnetId']} ({tier}) maps public IPs on launch")
            for tier in ("public", "app", "data"):
                if len(tiers.get(tier, ())) < 2:
                    check.fail(f"tier {tier} spans {len(tiers.get(tier, ()))} AZs (< 2)")
            groups = pages(ec2, "describe_security_groups", "SecurityGroups", Filters=vpc_filter)
            for group in groups:
                if group["GroupName"] == "default" and (group.get("IpPermissions") or group.get("IpPermissionsEgress")):
                    check.fail(f"default security group {group['GroupId']} is not empty")
                for rule in group.get("IpPermissions", []):
                    world = any(r.get("CidrIp") == "0.0.0.0/0" for r in rule.get("IpRanges", [])) or any(
                        r.get("CidrIpv6") == "::/0" for r in rule.get("Ipv6Ranges", [])
                    )
                    low, high = rule.get("FromPort", 0), rule.get("ToPort", 65535)
                    if rule.get("IpProtocol") == "-1":
                        low, high = 0, 65535
                    for port in (22, 3389):
                        if low <= port <= high and (world or rule.get("IpProtocol") == "-1"):
                            check.fail(f"{group['GroupId']} opens port {port}")
                    if world and not (low == high and low in (80, 443)):
                        check.fail(f"{group['GroupId']} allows {rule.get('IpProtocol')} {low}-{high} from the internet")
            check.evidence[vpc["VpcId"]] = {"Tiers": {k: sorted(v) for k, v in tiers.items()}, "SecurityGroups": [g["GroupId"] for g in groups]}
    return check.finding()


# ---------------------------------------------------------------- HP-14 HTTPS only


def _redirects_to_https(actions):
    return bool(actions) and all(a.get("Type") == "redirect" and (a.get("RedirectConfig") or {}).get("Protocol") == "HTTPS" for a in actions)


def check_hp14(context):
    check = Check("HP-14")
    elb = context.client("elbv2")
    with check.part("load balancers"):
        lbs = context.load_balancers()
        if not lbs:
            check.fail("no platform application load balancer (tagged Platform/Environment)")
        for lb in lbs:
            name = _lb_name(lb)
            with check.part(f"{name} listeners"):
                listeners = context.listeners(lb["LoadBalancerArn"])
                item = {}
                check.evidence[name] = item
                if not any(listener["Protocol"] == "HTTPS" for listener in listeners):
                    check.fail(f"{name}: no HTTPS listener")
                for listener in listeners:
                    port, protocol = listener["Port"], listener["Protocol"]
                    if protocol == "HTTPS":
                        item[f"{protocol}:{port}"] = listener.get("SslPolicy")
                        if not TLS12_PLUS.match(listener.get("SslPolicy") or ""):
                            check.fail(f"{name}: HTTPS:{port} uses {listener.get('SslPolicy')}, which allows TLS older than 1.2")
                    elif protocol == "HTTP":
                        rules = pages(elb, "describe_rules", "Rules", page_in="Marker", page_out="NextMarker", ListenerArn=listener["ListenerArn"])
                        redirect = _redirects_to_https(listener.get("DefaultActions")) and all(_redirects_to_https(r.get("Actions")) for r in rules)
                        item[f"{protocol}:{port}"] = "redirects to HTTPS" if redirect else "serves HTTP"
                        if not redirect:
                            check.fail(f"{name}: HTTP:{port} does not only redirect to HTTPS")
                    else:
                        item[f"{protocol}:{port}"] = "not HTTP(S)"
                        check.fail(f"{name}: listener {protocol}:{port} is not HTTPS")
                groups = pages(elb, "describe_target_groups", "TargetGroups", page_in="Marker", page_out="NextMarker", LoadBalancerArn=lb["LoadBalancerArn"])
                item["TargetGroups"] = {g["TargetGroupName"]: g.get("Protocol") for g in groups}
                for group in groups:
                    if group.get("Protocol") not in ("HTTPS", None):
                        check.fail(f"{name}: target group {group['TargetGroupName']} reaches the instances over {group.get('Protocol')}, not HTTPS")
    check.note("the TLS profile the instances serve (Mozilla intermediate) is on the hosts, out of this module's reach: molecule/instance verifies it")
    return check.finding()


# ---------------------------------------------------------------- HP-15 patching


def _approves_security(baseline):
    system = baseline.get("OperatingSystem", "WINDOWS")
    rules = (baseline.get("ApprovalRules") or {}).get("PatchRules") or []
    if not rules:
        return False
    for rule in rules:
        filters = {f["Key"]: f.get("Values", []) for f in (rule.get("PatchFilterGroup") or {}).get("PatchFilters", [])}
        if system in CLASSIFICATION_SYSTEMS and not any(v in SECURITY_CLASSIFICATIONS for v in filters.get("CLASSIFICATION", [])):
            continue
        if system in PRIORITY_SYSTEMS and not any(v in ("Required", "Important", "*") for v in filters.get("PRIORITY", [])):
            continue
        return True
    return False


def _patch_groups_in_use(context):
    groups = set()
    for group in context.autoscaling_groups():
        for tag in group.get("Tags") or []:
            if tag.get("Key") in ("PatchGroup", "Patch Group"):
                groups.add(tag["Value"])
    return groups


def check_hp15(context):
    check = Check("HP-15")
    ssm = context.client("ssm")
    in_use = set()
    with check.part("patch groups of the platform's instances"):
        in_use = _patch_groups_in_use(context)
        check.evidence["PatchGroupsInUse"] = sorted(in_use)
    with check.part("patch baselines"):
        baselines = [
            b
            for b in pages(ssm, "describe_patch_baselines", "BaselineIdentities", Filters=[{"Key": "OWNER", "Values": ["Self"]}])
            if b.get("BaselineName", "").startswith(f"{context.prefix}-")
        ]
        if not baselines:
            check.fail(f"no patch baseline named {context.prefix}-*")
        registered = set()
        found = {}
        with check.part("patch baseline details"):
            for identity in baselines:
                baseline = ssm.get_patch_baseline(BaselineId=identity["BaselineId"], aws_retry=True)
                registered.update(baseline.get("PatchGroups") or [])
                found[identity["BaselineName"]] = {"OperatingSystem": baseline.get("OperatingSystem"), "PatchGroups": baseline.get("PatchGroups") or []}
                if not _approves_security(baseline):
                    check.fail(f"{identity['BaselineName']}: no approval rule for security updates")
            missing = sorted(in_use - registered)
            if baselines and missing:
                check.fail(f"patch groups without a platform baseline: {', '.join(missing)}")
        check.evidence["Baselines"] = found or [b["BaselineName"] for b in baselines]
    with check.part("maintenance windows"):
        windows = [w for w in pages(ssm, "describe_maintenance_windows", "WindowIdentities") if w.get("Name", "").startswith(f"{context.prefix}-")]
        patching = {}
        for window in windows:
            tasks = pages(ssm, "describe_maintenance_window_tasks", "Tasks", WindowId=window["WindowId"])
            patch_tasks = [t for t in tasks if t.get("TaskArn") == "AWS-RunPatchBaseline" and t.get("Type", "RUN_COMMAND") == "RUN_COMMAND"]
            if not patch_tasks or not window.get("Enabled"):
                continue
            targets = {t["WindowTargetId"]: t for t in pages(ssm, "describe_maintenance_window_targets", "Targets", WindowId=window["WindowId"])}
            covered = set()
            for task in patch_tasks:
                for target in task.get("Targets") or []:
                    ids = target.get("Values", []) if target.get("Key") == "WindowTargetIds" else []
                    for window_target in (targets[i] for i in ids if i in targets):
                        for selector in window_target.get("Targets") or []:
                            if selector.get("Key") in ("tag:PatchGroup", "tag:Patch Group"):
                                covered.update(selector.get("Values", []))
            patching[window["Name"]] = sorted(covered)
        check.evidence["PatchWindows"] = patching
        if not patching:
            check.fail(f"no enabled maintenance window named {context.prefix}-* running AWS-RunPatchBaseline")
        else:
            uncovered = sorted(in_use - set().union(*patching.values()))
            if uncovered:
                check.fail(f"patch groups no patch window targets: {', '.join(uncovered)}")
    with check.part("instances managed by SSM"):
        instances = sorted({i["InstanceId"] for g in context.autoscaling_groups() for i in g.get("Instances") or []})
        if instances:
            online = set()
            for start in range(0, len(instances), 50):
                batch = instances[start : start + 50]
                for info in pages(ssm, "describe_instance_information", "InstanceInformationList", Filters=[{"Key": "InstanceIds", "Values": batch}]):
                    if info.get("PingStatus") == "Online":
                        online.add(info["InstanceId"])
            unmanaged = [i for i in instances if i not in online]
            check.evidence["UnmanagedInstances"] = unmanaged
            if unmanaged:
                check.fail(f"instances SSM does not manage (not online): {', '.join(unmanaged)}")
    return check.finding()


# ---------------------------------------------------------------- HP-16 WAF


def check_hp16(context):
    check = Check("HP-16")
    waf = context.client("wafv2")
    with check.part("load balancers"):
        lbs = context.load_balancers()
        if not lbs:
            check.fail("no platform application load balancer (tagged Platform/Environment)")
        for lb in lbs:
            name = _lb_name(lb)
            with check.part(f"{name} web ACL"):
                acl = waf.get_web_acl_for_resource(ResourceArn=lb["LoadBalancerArn"], aws_retry=True).get("WebACL")
                if not acl:
                    check.evidence[name] = None
                    check.fail(f"{name}: no web ACL")
                    continue
                rules = acl.get("Rules") or []
                managed = {
                    r["Statement"]["ManagedRuleGroupStatement"]["Name"]: r
                    for r in rules
                    if (r.get("Statement") or {}).get("ManagedRuleGroupStatement", {}).get("VendorName") == "AWS"
                }
                rate = [
                    r["Name"]
                    for r in rules
                    if "RateBasedStatement" in (r.get("Statement") or {}) and any(k in (r.get("Action") or {}) for k in ("Block", "Captcha", "Challenge"))
                ]
                item = {"WebACL": acl.get("Name"), "ManagedRuleGroups": sorted(managed), "RateRules": rate}
                check.evidence[name] = item
                missing = [g for g in WAF_REQUIRED_RULE_GROUPS if g not in managed]
                if missing:
                    check.fail(f"{name}: web ACL {acl.get('Name')} lacks {', '.join(missing)}")
                counting = [g for g, r in managed.items() if "Count" in (r.get("OverrideAction") or {})]
                if counting:
                    check.fail(f"{name}: rule groups only counted, not enforced: {', '.join(counting)}")
                if not rate:
                    check.fail(f"{name}: no rate-based rule that blocks")
                with check.part(f"{acl.get('Name')} logging"):
                    try:
                        logging = waf.get_logging_configuration(ResourceArn=acl["ARN"], aws_retry=True).get("LoggingConfiguration") or {}
                    except botocore.exceptions.ClientError as e:
                        if not is_error(e, "WAFNonexistentItemException"):
                            raise
                        logging = {}
                    item["Logging"] = logging.get("LogDestinationConfigs") or []
                    if not item["Logging"]:
                        check.fail(f"{name}: web ACL {acl.get('Name')} does not log")
    return check.finding()


# ---------------------------------------------------------------- HP-18 launch template


def check_hp18(context):
    check = Check("HP-18")
    with check.part("launch templates"):
        versions = context.launch_template_versions()
        if not versions:
            check.fail("no platform launch template (tagged Platform/Environment)")
        for version in versions:
            label = _template_label(version)
            data = version.get("LaunchTemplateData") or {}
            volumes = [m for m in data.get("BlockDeviceMappings") or [] if "Ebs" in m]
            interfaces = data.get("NetworkInterfaces") or []
            check.evidence[label] = {
                "HttpTokens": (data.get("MetadataOptions") or {}).get("HttpTokens"),
                "Volumes": {
                    m.get("DeviceName"): {"Encrypted": m["Ebs"].get("Encrypted"), "KmsKey": context.key_label(m["Ebs"].get("KmsKeyId"))[1]} for m in volumes
                },
                "PublicIp": any(i.get("AssociatePublicIpAddress") for i in interfaces),
                "InstanceProfile": bool(data.get("IamInstanceProfile")),
                "KeyPair": bool(data.get("KeyName")),
            }
            if (data.get("MetadataOptions") or {}).get("HttpTokens") != "required":
                check.fail(f"{label}: IMDSv2 is not required (HttpTokens {(data.get('MetadataOptions') or {}).get('HttpTokens', 'optional')})")
            if not volumes:
                check.fail(f"{label}: no EBS volume settings (the root volume would be encrypted, or not, as the AMI says)")
            for mapping in volumes:
                device = mapping.get("DeviceName")
                if not mapping["Ebs"].get("Encrypted"):
                    check.fail(f"{label} {device}: not encrypted")
                    continue
                if not mapping["Ebs"].get("KmsKeyId"):
                    check.fail(f"{label} {device}: no KMS key named (the account's default EBS key applies)")
                    continue
                problem = context.key_problem(mapping["Ebs"]["KmsKeyId"], "ebs", f"{label} {device}")
                if problem:
                    check.fail(problem)
            if any(i.get("AssociatePublicIpAddress") for i in interfaces):
                check.fail(f"{label}: instances get a public IP")
            if not data.get("IamInstanceProfile"):
                check.fail(f"{label}: no instance profile")
            if data.get("KeyName"):
                check.fail(f"{label}: has the key pair {data['KeyName']}")
    return check.finding()


# ---------------------------------------------------------------- HP-19 CloudTrail, CIS alarms, log groups


def _platform_log_group_prefixes(context):
    return (f"/{context.prefix}/", f"/aws/lambda/{context.prefix}-", f"aws-waf-logs-{context.prefix}", f"{context.settings['agent_log_group_prefix']}/")


def check_hp19(context):
    check = Check("HP-19")
    cloudtrail = context.client("cloudtrail")
    good = []
    with check.part("CloudTrail"):
        trails = cloudtrail.describe_trails(aws_retry=True).get("trailList") or []
        issues = {}
        for trail in trails:
            name = trail["Name"]
            problems = []
            if not trail.get("IsMultiRegionTrail"):
                problems.append("not multi-region")
            if not trail.get("LogFileValidationEnabled"):
                problems.append("no log file validation")
            key = context.key_problem(trail.get("KmsKeyId"), "logs", "log files")
            if key:
                problems.append(key)
            if not trail.get("CloudWatchLogsLogGroupArn"):
                problems.append("not delivered to CloudWatch Logs")
            status = cloudtrail.get_trail_status(Name=trail.get("TrailARN") or name, aws_retry=True)
            if not status.get("IsLogging"):
                problems.append("not logging")
            issues[name] = problems or "ok"
            if not problems:
                good.append(trail)
        check.evidence["Trails"] = issues
        if not good:
            detail = "; ".join(f"{n}: {', '.join(p)}" for n, p in issues.items()) or "there is no trail"
            check.fail(f"no trail that is multi-region, validated, KMS-encrypted, logging to CloudWatch Logs ({detail})")
    if good:
        with check.part("CIS metric filters and alarms"):
            alarms = pages(context.client("cloudwatch"), "describe_alarms", "MetricAlarms")
            alarmed = {
                (a.get("MetricName"), a.get("Namespace"))
                for a in alarms
                if a.get("ActionsEnabled", True) and any(":sns:" in action for action in a.get("AlarmActions") or [])
            }
            coverage = {}
            good.sort(key=lambda t: t["Name"] != context.prefix)
            for trail in good:
                group = trail["CloudWatchLogsLogGroupArn"].split(":log-group:", 1)[-1]
                group = group[:-2] if group.endswith(":*") else group
                filters = pages(context.client("logs"), "describe_metric_filters", "metricFilters", page_in="nextToken", logGroupName=group)
                missing = []
                for topic, pattern in CIS_TOPICS:
                    if not any(
                        pattern.search(f.get("filterPattern") or "")
                        and any((t.get("metricName"), t.get("metricNamespace")) in alarmed for t in f.get("metricTransformations") or [])
                        for f in filters
                    ):
                        missing.append(topic)
                coverage[trail["Name"]] = missing
                if not missing:
                    break
            check.evidence["CisTopicsWithoutAlarm"] = coverage
            if all(coverage.values()):
                best = min(coverage.values(), key=len)
                check.fail(f"no metric filter with an alarm notifying SNS for: {', '.join(best)}")
    with check.part("log groups"):
        groups = {}
        for prefix in _platform_log_group_prefixes(context):
            for group in context.log_groups(prefix):
                groups[group["logGroupName"]] = group
        check.evidence["LogGroups"] = {
            n: {"KmsKey": context.key_label(g.get("kmsKeyId"))[1], "RetentionDays": g.get("retentionInDays")} for n, g in sorted(groups.items())
        }
        if not groups:
            check.fail(f"no platform log group (/{context.prefix}/...)")
        for name, group in sorted(groups.items()):
            problem = context.key_problem(group.get("kmsKeyId"), "logs", f"log group {name}")
            if problem:
                check.fail(problem)
            if not group.get("retentionInDays"):
                check.fail(f"log group {name} keeps events forever (no retention)")
    return check.finding()


# ---------------------------------------------------------------- HP-20 CloudWatch agent


def check_hp20(context):
    check = Check("HP-20")
    prefix = context.settings["agent_log_group_prefix"]
    namespace = context.settings["agent_metrics_namespace"]
    with check.part("agent log groups"):
        present = {g["logGroupName"] for g in context.log_groups(f"{prefix}/")}
        wanted = [f"{prefix}/{name}" for name in AGENT_LOG_GROUPS]
        missing = [name for name in wanted if name not in present]
        if missing:
            check.fail(f"the agent's log groups do not exist: {', '.join(missing)}")
        # The monitoring tier makes the groups beforehand (encrypted): only a stream (one per instance) shows an agent shipped.
        logs = context.client("logs")
        shipped = {}
        for name in (n for n in wanted if n in present):
            streams = logs.describe_log_streams(logGroupName=name, orderBy="LastEventTime", descending=True, limit=1, aws_retry=True).get("logStreams") or []
            shipped[name] = streams[0]["logStreamName"] if streams else None
        check.evidence["LogGroups"] = {
            name: ("missing" if name not in present else (f"latest stream {shipped[name]}" if shipped[name] else "no stream")) for name in wanted
        }
        silent = [name for name, stream in shipped.items() if not stream]
        if silent:
            check.fail(f"no agent has shipped to {', '.join(silent)} (no log stream)")
    with check.part("agent metrics"):
        names = {m["MetricName"] for m in pages(context.client("cloudwatch"), "list_metrics", "Metrics", Namespace=namespace)}
        check.evidence["Metrics"] = {name: name in names for name in AGENT_METRICS}
        missing = [name for name in AGENT_METRICS if name not in names]
        if missing:
            check.fail(f"no {', '.join(missing)} metric in {namespace}")
    check.note(
        "AWS side only: the host side (agent installed from the signed package, its configuration, the service running) "
        "is out of this module's reach; molecule/instance verifies it on the host"
    )
    return check.finding()


# ---------------------------------------------------------------- HP-21 Inspector


def check_hp21(context):
    check = Check("HP-21")
    with check.part("Inspector"):
        accounts = context.client("inspector2").batch_get_account_status(accountIds=[context.account_id()], aws_retry=True)["accounts"]
        state = accounts[0].get("resourceState", {}) if accounts else {}
        check.evidence["resourceState"] = state
        status = state.get("ec2", {}).get("status")
        if status != "ENABLED":
            check.fail(f"EC2 scanning is {status or 'not enabled'}")
    return check.finding()


# ---------------------------------------------------------------- HP-22 EBS and snapshots


def check_hp22(context):
    check = Check("HP-22")
    ec2 = context.client("ec2")
    with check.part("EBS encryption by default"):
        enabled = ec2.get_ebs_encryption_by_default(aws_retry=True)["EbsEncryptionByDefault"]
        check.evidence["EbsEncryptionByDefault"] = enabled
        if not enabled:
            check.fail("EBS encryption by default is off")
    with check.part("default EBS key"):
        key = ec2.get_ebs_default_kms_key_id(aws_retry=True).get("KmsKeyId")
        check.evidence["EbsDefaultKmsKey"] = context.key_label(key)[1]
        problem = context.key_problem(key, "ebs", "EBS encryption by default")
        if problem:
            check.fail(problem)
    with check.part("Data Lifecycle Manager"):
        dlm = context.client("dlm")
        policies = [p for p in dlm.get_lifecycle_policies(aws_retry=True)["Policies"] if p.get("State") == "ENABLED"]
        policies = [p for p in policies if p.get("PolicyType", "EBS_SNAPSHOT_MANAGEMENT") == "EBS_SNAPSHOT_MANAGEMENT"]
        check.evidence["LifecyclePolicies"] = [p["PolicyId"] for p in policies]
        if not policies:
            check.fail("no enabled Data Lifecycle Manager snapshot policy")
        for summary in policies:
            details = dlm.get_lifecycle_policy(PolicyId=summary["PolicyId"], aws_retry=True)["Policy"].get("PolicyDetails") or {}
            schedules = details.get("Schedules") or []
            if not any(s.get("CreateRule") and s.get("RetainRule") for s in schedules):
                check.fail(f"{summary['PolicyId']}: no schedule with both a create rule and a retain rule")
            if not details.get("TargetTags"):
                check.fail(f"{summary['PolicyId']}: does not target volumes by tag")
            for schedule in schedules:
                for copy in schedule.get("CrossRegionCopyRules") or []:
                    if not copy.get("Encrypted"):
                        check.fail(f"{summary['PolicyId']}: copies to {copy.get('TargetRegion') or copy.get('Target')} unencrypted")
    with check.part("public snapshots"):
        account = context.account_id()
        # Snapshots anyone may restore; each confirmed with its attribute (an endpoint may ignore the filter).
        candidates = [s for s in pages(ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"], RestorableByUserIds=["all"]) if s.get("OwnerId") == account]
        public = []
        for snapshot in candidates:
            permissions = ec2.describe_snapshot_attribute(SnapshotId=snapshot["SnapshotId"], Attribute="createVolumePermission", aws_retry=True)
            if any(p.get("Group") == "all" for p in permissions.get("CreateVolumePermissions") or []):
                public.append(snapshot["SnapshotId"])
        check.evidence["PublicSnapshots"] = public
        if public:
            check.fail(f"public snapshots: {', '.join(public)}")
    return check.finding()


# ---------------------------------------------------------------- HP-23 AWS Backup


def check_hp23(context):
    check = Check("HP-23")
    backup = context.client("backup")
    vaults = {}
    with check.part("backup vaults"):
        listed = pages(backup, "list_backup_vaults", "BackupVaultList")
        vaults = {v["BackupVaultName"]: v for v in listed if v["BackupVaultName"].startswith(f"{context.prefix}-")}
        check.evidence["Vaults"] = {
            n: {"Locked": v.get("Locked"), "MinRetentionDays": v.get("MinRetentionDays"), "KmsKey": context.key_label(v.get("EncryptionKeyArn"))[1]}
            for n, v in vaults.items()
        }
        if not vaults:
            check.fail(f"no backup vault named {context.prefix}-*")
        for name, vault in vaults.items():
            problem = context.key_problem(vault.get("EncryptionKeyArn"), "backups", f"vault {name}")
            if problem:
                check.fail(problem)
            if not vault.get("Locked"):
                check.fail(f"vault {name} has no Vault Lock")
            elif not vault.get("MinRetentionDays"):
                check.fail(f"vault {name}: the lock sets no minimum retention")
            elif context.production and not vault.get("LockDate"):
                check.fail(f"vault {name}: the lock is in governance mode (no lock date), not compliance mode, in production")
    with check.part("backup plans"):
        plans = [p for p in pages(backup, "list_backup_plans", "BackupPlansList") if p["BackupPlanName"].startswith(f"{context.prefix}-")]
        if not plans:
            check.fail(f"no backup plan named {context.prefix}-*")
        for summary in plans:
            name = summary["BackupPlanName"]
            plan = backup.get_backup_plan(BackupPlanId=summary["BackupPlanId"], aws_retry=True)["BackupPlan"]
            kinds = {}
            for rule in plan.get("Rules") or []:
                kind = _schedule_kind(rule.get("ScheduleExpression"))
                kinds.setdefault(kind or "other", []).append(rule.get("RuleName"))
                keep = (rule.get("Lifecycle") or {}).get("DeleteAfterDays")
                vault = vaults.get(rule.get("TargetBackupVaultName"))
                if not keep:
                    check.fail(f"{name} rule {rule.get('RuleName')}: no lifecycle (recovery points kept forever)")
                elif vault and vault.get("MinRetentionDays") and keep < vault["MinRetentionDays"]:
                    check.fail(f"{name} rule {rule.get('RuleName')}: deletes after {keep} days, below the vault lock minimum {vault['MinRetentionDays']}")
                if vaults and rule.get("TargetBackupVaultName") not in vaults:
                    check.fail(f"{name} rule {rule.get('RuleName')}: backs up into {rule.get('TargetBackupVaultName')}, not a platform vault")
            check.evidence[name] = {"Rules": kinds}
            missing = [k for k in ("daily", "weekly", "monthly") if k not in kinds]
            if missing:
                check.fail(f"{name}: no {', '.join(missing)} rule")
            with check.part(f"{name} selections"):
                selections = pages(backup, "list_backup_selections", "BackupSelectionsList", BackupPlanId=summary["BackupPlanId"])
                covered = set()
                for selection in selections:
                    detail = backup.get_backup_selection(BackupPlanId=summary["BackupPlanId"], SelectionId=selection["SelectionId"], aws_retry=True)[
                        "BackupSelection"
                    ]
                    for resource in detail.get("Resources") or []:
                        if resource == "*" or ":rds:" in resource:
                            covered.add("RDS")
                        if resource == "*" or ":volume/" in resource:
                            covered.add("EBS")
                check.evidence[name]["Selections"] = {"Count": len(selections), "Covers": sorted(covered)}
                missing = [k for k in ("RDS", "EBS") if k not in covered]
                if missing:
                    check.fail(f"{name}: no selection covers {' and '.join(missing)}")
    return check.finding()


# ---------------------------------------------------------------- HP-24 Multi-AZ and backups


def check_hp24(context):
    check = Check("HP-24")
    with check.part("databases"):
        instances, clusters, zones = context.databases()
        if not instances and not clusters:
            check.fail("no platform database (RDS instance or Aurora cluster tagged Platform/Environment)")
        for db in _standalone(instances):
            name = db["DBInstanceIdentifier"]
            check.evidence[name] = {"MultiAZ": db.get("MultiAZ"), "BackupRetentionPeriod": db.get("BackupRetentionPeriod")}
            if not db.get("MultiAZ"):
                check.fail(f"{name} is not Multi-AZ")
            if (db.get("BackupRetentionPeriod") or 0) < MIN_BACKUP_RETENTION_DAYS:
                check.fail(f"{name}: automated backups kept {db.get('BackupRetentionPeriod') or 0} days (< {MIN_BACKUP_RETENTION_DAYS})")
        for cluster in clusters:
            name = cluster["DBClusterIdentifier"]
            member_zones = sorted({zones.get(m["DBInstanceIdentifier"]) for m in cluster.get("DBClusterMembers") or [] if zones.get(m["DBInstanceIdentifier"])})
            check.evidence[name] = {"InstanceZones": member_zones, "BackupRetentionPeriod": cluster.get("BackupRetentionPeriod")}
            if len(member_zones) < 2:
                check.fail(f"{name}: its instances are in {len(member_zones)} availability zone(s) (no replica in a second zone)")
            if (cluster.get("BackupRetentionPeriod") or 0) < MIN_BACKUP_RETENTION_DAYS:
                check.fail(f"{name}: automated backups kept {cluster.get('BackupRetentionPeriod') or 0} days (< {MIN_BACKUP_RETENTION_DAYS})")
    return check.finding()


# ---------------------------------------------------------------- HP-25 threat detection


def check_hp25(context):
    check = Check("HP-25")
    with check.part("GuardDuty"):
        guardduty = context.client("guardduty")
        detectors = guardduty.list_detectors(aws_retry=True)["DetectorIds"]
        detector = guardduty.get_detector(DetectorId=detectors[0], aws_retry=True) if detectors else {}
        features = {f["Name"]: f.get("Status") for f in detector.get("Features") or []}
        if "S3_DATA_EVENTS" not in features and detector.get("DataSources"):
            features["S3_DATA_EVENTS"] = detector["DataSources"].get("S3Logs", {}).get("Status")
        check.evidence["GuardDuty"] = {"Status": detector.get("Status"), "Features": features}
        if detector.get("Status") != "ENABLED":
            check.fail(f"GuardDuty is {detector.get('Status') or 'not set up'}")
        else:
            for feature in ("S3_DATA_EVENTS", "RDS_LOGIN_EVENTS"):
                if features.get(feature) != "ENABLED":
                    check.fail(f"GuardDuty {feature} protection is {features.get(feature) or 'off'}")
    hub = None
    with check.part("Security Hub"):
        try:
            hub = context.client("securityhub").describe_hub(aws_retry=True).get("HubArn")
        except botocore.exceptions.ClientError as e:
            if not is_error(e, "InvalidAccessException", "ResourceNotFoundException"):
                raise
            check.fail("Security Hub is not enabled")
        check.evidence["SecurityHub"] = hub
    if hub:
        with check.part("Security Hub standards"):
            subscriptions = pages(context.client("securityhub"), "get_enabled_standards", "StandardsSubscriptions")
            ready = [s["StandardsArn"] for s in subscriptions if s.get("StandardsStatus") in ("READY", "INCOMPLETE")]
            check.evidence["Standards"] = ready
            if not any("aws-foundational-security-best-practices" in arn for arn in ready):
                check.fail("Security Hub does not run AWS Foundational Security Best Practices")
    with check.part("AWS Config"):
        config = context.client("config")
        recorders = config.describe_configuration_recorders(aws_retry=True)["ConfigurationRecorders"]
        statuses = {r["name"]: r.get("recording") for r in config.describe_configuration_recorder_status(aws_retry=True)["ConfigurationRecordersStatus"]}
        everything = [r["name"] for r in recorders if (r.get("recordingGroup") or {}).get("allSupported")]
        check.evidence["ConfigRecorders"] = {r["name"]: {"recording": statuses.get(r["name"]), "allSupported": r["name"] in everything} for r in recorders}
        if not everything:
            check.fail("no AWS Config recorder records all supported resources")
        elif not any(statuses.get(name) for name in everything):
            check.fail(f"the AWS Config recorder {everything[0]} is not recording")
    return check.finding()


# ---------------------------------------------------------------- HP-26 notifications


def check_hp26(context):
    check = Check("HP-26")
    with check.part("SNS topics"):
        sns = context.client("sns")
        topics = [t["TopicArn"] for t in pages(sns, "list_topics", "Topics") if t["TopicArn"].rsplit(":", 1)[-1].startswith(f"{context.prefix}-")]
        if not topics:
            check.fail(f"no SNS topic named {context.prefix}-*")
        found = {}
        for arn in topics:
            key = sns.get_topic_attributes(TopicArn=arn, aws_retry=True)["Attributes"].get("KmsMasterKeyId")
            name = arn.rsplit(":", 1)[-1]
            found[name] = key or None
            if not key:
                check.fail(f"topic {name} is not encrypted with a KMS key")
        check.evidence["Topics"] = found
    with check.part("SES sending identity"):
        ses = context.client("ses")
        domain = context.settings["ses_domain"]
        identities = [domain] if domain else pages(ses, "list_identities", "Identities", IdentityType="Domain")
        if not identities:
            check.fail("no SES domain identity")
        verification = {}
        for start in range(0, len(identities), 100):
            answer = ses.get_identity_verification_attributes(Identities=identities[start : start + 100], aws_retry=True)["VerificationAttributes"]
            verification.update({i: (answer.get(i) or {}).get("VerificationStatus", "NotStarted") for i in identities[start : start + 100]})
        check.evidence["SesIdentities"] = verification
        for identity, status in verification.items():
            if status != "Success":
                check.fail(f"SES identity {identity} is {status}, not verified")
    return check.finding()


CHECKS = {
    "HP-01": check_hp01,
    "HP-02": check_hp02,
    "HP-03": check_hp03,
    "HP-04": check_hp04,
    "HP-05": check_hp05,
    "HP-06": check_hp06,
    "HP-07": check_hp07,
    "HP-08": check_hp08,
    "HP-09": check_hp09,
    "HP-10": check_hp10,
    "HP-11": check_hp11,
    "HP-12": check_hp12,
    "HP-13": check_hp13,
    "HP-14": check_hp14,
    "HP-15": check_hp15,
    "HP-16": check_hp16,
    "HP-17": check_hp17,
    "HP-18": check_hp18,
    "HP-19": check_hp19,
    "HP-20": check_hp20,
    "HP-21": check_hp21,
    "HP-22": check_hp22,
    "HP-23": check_hp23,
    "HP-24": check_hp24,
    "HP-25": check_hp25,
    "HP-26": check_hp26,
}


def run_check(control, context):
    """One control's finding; an API error outside a check's parts makes it unknown, never pass."""
    check = CHECKS.get(control)
    if check is None:
        return Finding(control, "unchecked", {}, "no automated check for this control yet")
    try:
        return check(context)
    except READ_ERRORS as e:
        return Finding(control, "unknown", {}, f"could not read the evidence: {unreadable(e)}")
    except Exception as e:  # pylint: disable=broad-exception-caught
        # an answer in a shape the check does not expect: never a pass, and the rest of the audit goes on
        return Finding(control, "unknown", {}, f"could not evaluate the evidence: {type(e).__name__}: {e}")


def audit(context, controls, relaxations=None):
    """The findings of ``controls``, in catalogue order as given. A relaxed control is checked like any
    other; when it does not pass, its reason says what the environment relaxes."""
    findings = []
    for control in controls:
        finding = run_check(control, context)
        why = (relaxations or {}).get(control)
        if why:
            finding.relaxation = why
            if finding.status != "pass":
                finding.reason = f"{finding.reason} [relaxed in this environment: {why}]"
        findings.append(finding.as_dict())
    return findings


def hipaa_summary(findings):
    """One entry per HIPAA section the findings serve: its controls and the worst status among them."""
    sections = []
    for section, title in HIPAA_SECTIONS.items():
        serving = [f for f in findings if section in f["hipaa"]]
        if not serving:
            continue
        statuses = {f["status"] for f in serving}
        status = "fail" if "fail" in statuses else ("unknown" if statuses - {"pass"} else "pass")
        sections.append(
            {
                "section": section,
                "title": title,
                "status": status,
                "controls": [f["id"] for f in serving],
                "failing": [f["id"] for f in serving if f["status"] == "fail"],
                "unknown": [f["id"] for f in serving if f["status"] not in ("pass", "fail")],
            }
        )
    return sections
