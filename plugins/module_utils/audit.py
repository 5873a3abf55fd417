# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The platform audit's framework: the control catalogue, findings and the shared reads.

The checks themselves are in ``audit_checks.py``. Every check reads the live account and
returns a finding:

- ``pass``: every part of the evidence was read and satisfies the control;
- ``fail``: what was read shows the control is not met (the reason names what is wrong; parts
  that could not be read are named too, but they cannot turn a failure into anything else);
- ``unknown``: nothing read is wrong, but a part of the evidence could not be read (the endpoint
  does not implement the API, access was denied...). Never counted as a pass.

A check is made of parts (``Check.part()``): a part whose API call cannot be answered is
recorded as unread and the check goes on with the next part, so that one missing API (for
example DNS Firewall on the lab's emulator) does not hide what the other parts show.

The reads that several checks need (the platform's VPCs, load balancers, launch templates,
databases, IAM, KMS aliases...) are made once per run and shared (``Context.shared()``); a read
that failed fails the same way for every check that needs it.
"""

from __future__ import annotations

try:
    import botocore
    import botocore.parsers

    # What an API answer that cannot serve as evidence raises: an error answer, a transport or
    # client-side error, or a response the SDK cannot parse (an emulator's HTML error page).
    READ_ERRORS = (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, botocore.parsers.ResponseParserError)
except ImportError:
    READ_ERRORS = ()  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# Control id -> (title, HIPAA Security Rule sections (45 CFR) it serves)
CATALOGUE = {
    "HP-01": ("IAM console users have MFA; MFA-enforcement policy on every human group", ["164.312(d)", "164.312(a)(1)", "164.308(a)(5)(ii)(D)"]),
    "HP-02": ("Portal user pools require MFA (TOTP), advanced security, strong passwords", ["164.312(d)", "164.308(a)(5)(ii)(D)"]),
    "HP-03": ("Account password policy: 14+ chars, all classes, reuse 24, max age 90", ["164.308(a)(5)(ii)(D)", "164.312(d)"]),
    "HP-04": ("Records bucket: Object Lock with default retention, versioning", ["164.312(c)(1)", "164.308(a)(7)(ii)(A)"]),
    "HP-05": ("Every bucket: SSE-KMS, public access block, TLS-only policy, ownership enforced", ["164.312(a)(1)", "164.312(a)(2)(iv)", "164.312(e)(1)"]),
    "HP-06": ("Database credentials in Secrets Manager, customer KMS key, rotated within 30 days", ["164.312(a)(1)", "164.308(a)(5)(ii)(D)"]),
    "HP-07": ("No secrets in launch template user data or Lambda environment", ["164.312(a)(1)"]),
    "HP-08": ("ALB and ASG span 2+ AZs; deletion protection; invalid headers dropped; ELB health checks; scaling policy", ["164.308(a)(7)(ii)(C)"]),
    "HP-09": (
        "Least-privilege IAM: duty groups, no user policies, no admin or escalation, scoped instance role",
        ["164.308(a)(3)", "164.308(a)(4)", "164.312(a)(1)"],
    ),
    "HP-10": (
        "Database encrypted with a customer key, TLS forced, private, deletion protection, IAM auth",
        ["164.312(a)(2)(iv)", "164.312(e)(1)", "164.312(a)(1)"],
    ),
    "HP-11": ("Customer KMS keys rotate; none pending deletion", ["164.312(a)(2)(iv)"]),
    "HP-12": ("Every platform VPC has flow logs of ALL traffic", ["164.312(b)"]),
    "HP-13": ("DNS Firewall blocks malicious domains on every platform VPC; query logging", ["164.308(a)(5)(ii)(B)", "164.312(b)"]),
    "HP-14": ("HTTPS only: TLS 1.2+ listeners, HTTP redirects, HTTPS to the instances", ["164.312(e)(1)", "164.312(e)(2)(ii)"]),
    "HP-15": (
        "Patch baselines with security approval rules, patch groups, patch window, SSM-managed instances",
        ["164.308(a)(5)(ii)(B)", "164.308(a)(1)(ii)(B)"],
    ),
    "HP-16": ("WAF with AWS managed rule groups and a rate rule on the ALB; logging", ["164.308(a)(1)(ii)(B)", "164.312(b)"]),
    "HP-17": ("Segmented network: tiers in 2+ AZs, no public IPs, no SSH/RDP, default SG closed", ["164.312(a)(1)", "164.312(e)(1)"]),
    "HP-18": ("Launch template: IMDSv2, EBS encrypted with the EBS key, no public IP, instance profile, no key pair", ["164.312(a)(2)(iv)", "164.312(a)(1)"]),
    "HP-19": (
        "CloudTrail multi-region, validated, encrypted, to CloudWatch with CIS alarms; log groups encrypted with retention",
        ["164.312(b)", "164.308(a)(1)(ii)(D)"],
    ),
    "HP-20": ("CloudWatch agent ships system and web logs and host metrics", ["164.312(b)", "164.308(a)(1)(ii)(D)"]),
    "HP-21": ("Inspector v2 scans EC2", ["164.308(a)(1)(ii)(A)"]),
    "HP-22": ("EBS encrypted by default with the EBS key; snapshot schedule; no public snapshots", ["164.308(a)(7)(ii)(A)", "164.312(a)(2)(iv)"]),
    "HP-23": (
        "AWS Backup vault locked and encrypted; daily/weekly/monthly plan; RDS and EBS selection",
        ["164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)", "164.312(c)(1)"],
    ),
    "HP-24": ("Database Multi-AZ with 7+ days of automated backups", ["164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(C)"]),
    "HP-25": ("GuardDuty (S3, RDS protection), Security Hub (FSBP) and Config recorder of all resources", ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"]),
    "HP-26": ("SNS topics KMS-encrypted; SES sending identity verified", ["164.312(e)(1)", "164.312(e)(2)(ii)"]),
}

# The HIPAA Security Rule implementation specifications the catalogue maps to (45 CFR Part 164, Subpart C).
HIPAA_SECTIONS = {
    "164.308(a)(1)(ii)(A)": "Administrative safeguards - security management process: risk analysis",
    "164.308(a)(1)(ii)(B)": "Administrative safeguards - security management process: risk management",
    "164.308(a)(1)(ii)(D)": "Administrative safeguards - security management process: information system activity review",
    "164.308(a)(3)": "Administrative safeguards - workforce security",
    "164.308(a)(4)": "Administrative safeguards - information access management",
    "164.308(a)(5)(ii)(B)": "Administrative safeguards - security awareness: protection from malicious software",
    "164.308(a)(5)(ii)(D)": "Administrative safeguards - security awareness: password management",
    "164.308(a)(6)(ii)": "Administrative safeguards - security incident procedures: response and reporting",
    "164.308(a)(7)(ii)(A)": "Administrative safeguards - contingency plan: data backup plan",
    "164.308(a)(7)(ii)(B)": "Administrative safeguards - contingency plan: disaster recovery plan",
    "164.308(a)(7)(ii)(C)": "Administrative safeguards - contingency plan: emergency mode operation plan",
    "164.312(a)(1)": "Technical safeguards - access control",
    "164.312(a)(2)(iv)": "Technical safeguards - access control: encryption and decryption",
    "164.312(b)": "Technical safeguards - audit controls",
    "164.312(c)(1)": "Technical safeguards - integrity",
    "164.312(d)": "Technical safeguards - person or entity authentication",
    "164.312(e)(1)": "Technical safeguards - transmission security",
    "164.312(e)(2)(ii)": "Technical safeguards - transmission security: encryption",
}

STATUSES = ("pass", "fail", "unknown")


def unreadable(error):
    """Why an API answer could not be used as evidence, in one line."""
    if isinstance(error, botocore.exceptions.ClientError):
        response = error.response or {}
        detail = response.get("Error", {})
        code = str(detail.get("Code", "")) or str(response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
        message = str(detail.get("Message", ""))
        if (code.isdigit() and int(code) in (404, 405, 500, 501)) or "<" in message:
            message = f"the endpoint does not implement this API (HTTP {code})"
        elif not message:
            message = "no message"
        return f"{error.operation_name} answered {code}: {message}"
    if isinstance(error, botocore.exceptions.ParamValidationError):
        return f"invalid request: {error}"
    if isinstance(error, (botocore.exceptions.BotoCoreError, botocore.parsers.ResponseParserError)):
        text = str(error)
        if "invalid XML" in text or "Unable to parse response" in text:
            return "the endpoint answered something that is not the API's response (it does not implement this API)"
        return text.splitlines()[0] if text else type(error).__name__
    return str(error)


def is_error(error, *codes):
    return isinstance(error, botocore.exceptions.ClientError) and error.response.get("Error", {}).get("Code") in codes


class _Part:
    """Context manager of one evidence part: an API error is recorded as unread, not raised."""

    def __init__(self, check, label):
        self.check = check
        self.label = label

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is not None and isinstance(error, READ_ERRORS):
            self.check.unread.append(f"{self.label}: {unreadable(error)}")
            return True
        return False


class Check:
    """One control's check in progress: problems found, parts not read, evidence.

    ``with check.part("what"):`` around each independent evidence part; ``check.fail(msg)``
    for each problem; ``check.evidence[...] = ...`` for what was read (never a secret value).
    """

    def __init__(self, control):
        self.control = control
        self.problems = []
        self.unread = []
        self.notes = []
        self.evidence = {}

    def part(self, label):
        return _Part(self, label)

    def fail(self, message):
        self.problems.append(message)

    def note(self, message):
        """Something a reader must know about the evidence (what is out of reach, where it is checked)."""
        self.notes.append(message)

    def finding(self):
        if self.notes:
            self.evidence["notes"] = self.notes
        if self.problems:
            reason = "; ".join(self.problems)
            if self.unread:
                reason += f" (also not read: {'; '.join(self.unread)})"
            return Finding(self.control, "fail", self.evidence, reason)
        if self.unread:
            return Finding(self.control, "unknown", self.evidence, f"could not read the evidence: {'; '.join(self.unread)}")
        return Finding(self.control, "pass", self.evidence)


class Finding:
    def __init__(self, control, status, evidence=None, reason=""):
        self.control = control
        self.status = status
        self.evidence = evidence if evidence is not None else {}
        self.reason = reason
        self.relaxation = ""

    def as_dict(self):
        title, hipaa = CATALOGUE[self.control]
        return {
            "id": self.control,
            "title": title,
            "hipaa": hipaa,
            "status": self.status,
            "reason": self.reason,
            "relaxation": self.relaxation,
            "evidence": self.evidence,
        }


def pages(client, method, key, page_in="NextToken", page_out=None, **request):
    """Every item under ``key`` of a paginated call, each page with retries.

    ``page_in`` names the request's page marker, ``page_out`` the response's when it differs
    (NextMarker in ELBv2, Lambda and KMS; Marker in RDS).
    """
    items = []
    page_out = page_out or page_in
    while True:
        page = getattr(client, method)(aws_retry=True, **request)
        items.extend(page.get(key) or [])
        following = page.get(page_out)
        if not following:
            return items
        request[page_in] = following


def tags_of(resource, key="Tags"):
    value = resource.get(key) or []
    return value if isinstance(value, dict) else boto3_tag_list_to_ansible_dict(value)


def key_id_of(reference):
    """The key ID in a key ARN or ID; None for aliases (resolved by Context.key_label)."""
    if not reference:
        return None
    if ":key/" in reference:
        return reference.rsplit("/", 1)[-1]
    if reference.startswith("alias/") or ":alias/" in reference:
        return None
    return reference


class Context:
    """What the checks share: clients (one per service), settings, and the reads several checks need."""

    def __init__(self, module, client_factory, settings):
        self.module = module
        self._client_factory = client_factory
        self._clients = {}
        self._shared = {}
        self.settings = settings

    def client(self, service):
        if service not in self._clients:
            self._clients[service] = self._client_factory(service)
        return self._clients[service]

    def shared(self, key, read):
        """``read()`` once per run; its result (or its API error, raised again) for every check that asks."""
        if key not in self._shared:
            try:
                self._shared[key] = (True, read())
            except READ_ERRORS as e:
                self._shared[key] = (False, e)
        ok, value = self._shared[key]
        if not ok:
            raise value
        return value

    # ---- names the roles give the platform's resources

    @property
    def prefix(self):
        """The roles' name prefix: <platform>-<environment>."""
        return f"{self.settings['platform']}-{self.settings['environment']}"

    @property
    def iam_path(self):
        """The IAM path of the identity role's groups, policies and roles: /<platform>/<environment>/."""
        return f"/{self.settings['platform']}/{self.settings['environment']}/"

    @property
    def production(self):
        return self.settings["environment"] == "production"

    @property
    def tag_filters(self):
        return [
            {"Name": "tag:Platform", "Values": [self.settings["platform"]]},
            {"Name": "tag:Environment", "Values": [self.settings["environment"]]},
        ]

    def is_platform(self, tags):
        return tags.get("Platform") == self.settings["platform"] and tags.get("Environment") == self.settings["environment"]

    # ---- shared reads

    def account_id(self):
        return self.shared("account", lambda: self.client("sts").get_caller_identity(aws_retry=True)["Account"])

    def platform_vpcs(self):
        return self.shared("vpcs", lambda: pages(self.client("ec2"), "describe_vpcs", "Vpcs", Filters=self.tag_filters))

    def buckets(self):
        return self.shared("buckets", lambda: [b["Name"] for b in self.client("s3").list_buckets(aws_retry=True).get("Buckets", [])])

    def key_aliases(self):
        """{key id: [alias names]} of every alias with a target."""

        def read():
            aliases = pages(self.client("kms"), "list_aliases", "Aliases", page_in="Marker", page_out="NextMarker")
            result = {}
            for alias in aliases:
                if alias.get("TargetKeyId"):
                    result.setdefault(alias["TargetKeyId"], []).append(alias["AliasName"])
            return result

        return self.shared("aliases", read)

    def platform_key(self, data_class):
        """Key ID of the platform's key of a data class (alias/<prefix>-<class>, the kms role's names), or None."""
        wanted = f"alias/{self.prefix}-{data_class}"
        for key_id, names in self.key_aliases().items():
            if wanted in names:
                return key_id
        return None

    def key_label(self, reference):
        """(key ID, label, customer managed?) of a key reference (ARN, ID, alias name or alias ARN)."""
        if not reference:
            return None, "none", False
        aliases = self.key_aliases()
        key_id = key_id_of(reference)
        if key_id is None:
            alias = "alias/" + reference.split(":alias/", 1)[-1] if ":alias/" in reference else reference
            key_id = next((k for k, names in aliases.items() if alias in names), None)
            if key_id is None:
                return None, alias, not alias.startswith("alias/aws/")
        names = aliases.get(key_id, [])
        if names:
            return key_id, names[0], not all(n.startswith("alias/aws/") for n in names)
        manager = self.shared(f"key:{key_id}", lambda: self.client("kms").describe_key(KeyId=key_id, aws_retry=True)["KeyMetadata"].get("KeyManager"))
        return key_id, key_id, manager == "CUSTOMER"

    def key_problem(self, reference, data_class, what):
        """None when ``reference`` is a customer key (the platform's key of ``data_class`` when there is one); else the problem."""
        if not reference:
            return f"{what} is not encrypted with a customer managed KMS key (only the service's default encryption)"
        key_id, label, customer = self.key_label(reference)
        if not customer:
            return f"{what} is encrypted with {label}, not a customer managed key"
        wanted = self.platform_key(data_class)
        if wanted and key_id and key_id != wanted:
            return f"{what} is encrypted with {label}, not the platform's {data_class} key (alias/{self.prefix}-{data_class})"
        return None

    def load_balancers(self):
        """The platform's application load balancers (by their Platform and Environment tags)."""

        def read():
            elb = self.client("elbv2")
            found = [
                lb for lb in pages(elb, "describe_load_balancers", "LoadBalancers", page_in="Marker", page_out="NextMarker") if lb.get("Type") == "application"
            ]
            ours = []
            for start in range(0, len(found), 20):
                batch = found[start : start + 20]
                described = elb.describe_tags(ResourceArns=[lb["LoadBalancerArn"] for lb in batch], aws_retry=True)["TagDescriptions"]
                tags = {d["ResourceArn"]: tags_of(d) for d in described}
                ours.extend(lb for lb in batch if self.is_platform(tags.get(lb["LoadBalancerArn"], {})))
            return ours

        return self.shared("load_balancers", read)

    def load_balancer_attributes(self, lb_arn):
        """{key: value} of a load balancer's attributes (read once)."""

        def read():
            attributes = self.client("elbv2").describe_load_balancer_attributes(LoadBalancerArn=lb_arn, aws_retry=True)["Attributes"]
            return {a["Key"]: a["Value"] for a in attributes}

        return self.shared(f"lb-attributes:{lb_arn}", read)

    def access_log_buckets(self):
        """Buckets the platform's load balancers deliver their access logs to."""
        buckets = set()
        for lb in self.load_balancers():
            attributes = self.load_balancer_attributes(lb["LoadBalancerArn"])
            if attributes.get("access_logs.s3.enabled") == "true" and attributes.get("access_logs.s3.bucket"):
                buckets.add(attributes["access_logs.s3.bucket"])
        return buckets

    def listeners(self, lb_arn):
        return self.shared(
            f"listeners:{lb_arn}",
            lambda: pages(self.client("elbv2"), "describe_listeners", "Listeners", page_in="Marker", page_out="NextMarker", LoadBalancerArn=lb_arn),
        )

    def autoscaling_groups(self):
        return self.shared(
            "asgs",
            lambda: pages(
                self.client("autoscaling"),
                "describe_auto_scaling_groups",
                "AutoScalingGroups",
                Filters=self.tag_filters,
            ),
        )

    def launch_template_versions(self):
        """The versions instances of the platform launch from: $Default, $Latest and those the platform's groups name."""

        def read():
            ec2 = self.client("ec2")
            templates = pages(ec2, "describe_launch_templates", "LaunchTemplates", Filters=self.tag_filters)
            in_use = {}
            for group in self.autoscaling_groups():
                spec = (
                    group.get("LaunchTemplate") or (group.get("MixedInstancesPolicy") or {}).get("LaunchTemplate", {}).get("LaunchTemplateSpecification") or {}
                )
                if spec.get("LaunchTemplateId") and spec.get("Version"):
                    in_use.setdefault(spec["LaunchTemplateId"], set()).add(spec["Version"])
            versions = []
            for template in templates:
                wanted = sorted({"$Default", "$Latest"} | in_use.get(template["LaunchTemplateId"], set()))
                seen = set()
                for version in pages(
                    ec2, "describe_launch_template_versions", "LaunchTemplateVersions", LaunchTemplateId=template["LaunchTemplateId"], Versions=wanted
                ):
                    if version["VersionNumber"] not in seen:
                        seen.add(version["VersionNumber"])
                        versions.append(version)
            return versions

        return self.shared("launch_template_versions", read)

    def databases(self):
        """(instances, clusters, {instance: zone}) of the platform's databases (by their Platform and Environment
        tags); the zones of every instance, for the members of a cluster."""

        def read():
            rds = self.client("rds")
            every = pages(rds, "describe_db_instances", "DBInstances", page_in="Marker")
            instances = [d for d in every if self.is_platform(tags_of(d, "TagList"))]
            clusters = [d for d in pages(rds, "describe_db_clusters", "DBClusters", page_in="Marker") if self.is_platform(tags_of(d, "TagList"))]
            return instances, clusters, {d["DBInstanceIdentifier"]: d.get("AvailabilityZone") for d in every}

        return self.shared("databases", read)

    def iam_details(self):
        """Users, groups, roles and customer managed policies of the account: one paginated read of all of IAM."""

        def read():
            details = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
            request = {"Filter": ["User", "Group", "Role", "LocalManagedPolicy"]}
            iam = self.client("iam")
            while True:
                page = iam.get_account_authorization_details(aws_retry=True, **request)
                for key, items in details.items():
                    items.extend(page.get(key) or [])
                if not page.get("IsTruncated") or not page.get("Marker"):
                    return details
                request["Marker"] = page["Marker"]

        return self.shared("iam", read)

    def log_groups(self, prefix):
        return self.shared(
            f"log_groups:{prefix}", lambda: pages(self.client("logs"), "describe_log_groups", "logGroups", page_in="nextToken", logGroupNamePrefix=prefix)
        )
