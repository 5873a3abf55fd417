# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every IAM, key and bucket policy document the collection ships: no administrator wildcard,
no privilege escalation (HP-09).

Documents are found, not listed: every ``*.json.j2`` / ``*.json`` under ``roles/*/templates``,
``roles/*/files`` and ``playbooks/`` that renders to a JSON object with a ``Statement``, and
every mapping with a ``Statement`` inside the roles' and playbooks' YAML (inline policies).
Templates are rendered with the roles' own defaults and vars plus sample facts (the account,
key ARNs, pool ARNs the earlier tiers publish); a template with several shapes (one key policy
per data class, one bucket policy per bucket) is rendered in each. Variables no sample covers
(other tiers' facts) render as a placeholder, which cannot hide a wildcard action.

The checks are the ones roles use on input (plugins/module_utils/iam_policy.py); the negative
tests at the end prove they catch what they claim to.
"""

from __future__ import annotations

import glob
import json
import os

import jinja2
import pytest
import yaml
from jinja2.nativetypes import NativeEnvironment

from ansible_collections.healthplatform.aws.plugins.filter.iam_policy_errors import iam_policy_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.iam_policy import policy_errors

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ACCOUNT = "123456789012"
REGION = "us-east-1"
PLACEHOLDER = "PLACEHOLDER"
OWN_ROLES = ("kms", "identity", "data")

KEY_ARNS = {
    c: f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{i:08d}-0000-0000-0000-000000000000"
    for i, c in enumerate(["database", "objects", "ebs", "logs", "secrets", "notifications", "backups"])
}
CALLER = {"account": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/provisioner"}

# What the earlier tiers publish, and the facts templates read.
FACTS = {
    "hp_platform": "healthplatform",
    "hp_environment": "production",
    "hp_aws_region": REGION,
    "hp_availability_zones": [f"{REGION}a", f"{REGION}b", f"{REGION}c"],
    "hp_tags": {"Platform": "healthplatform", "Environment": "production", "ManagedBy": "healthplatform.aws"},
    "kms_account_id": ACCOUNT,
    "kms_partition": "aws",
    "kms_key_arns": KEY_ARNS,
    "__kms_caller": CALLER,
    "__identity_caller": CALLER,
    "__network_caller": CALLER,
    "__data_caller": CALLER,
    "__identity_pools": {
        "user_pools": [
            {"name": f"healthplatform-production-{p}", "id": f"{REGION}_{p}", "arn": f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_{p}"}
            for p in ("patients", "providers")
        ]
    },
    "network_subnet_ids": {"data": ["subnet-1", "subnet-2"]},
}

# Templates with several shapes: the variables of each shape.
VARIANTS = {
    "roles/kms/templates/key-policy.json.j2": [{"__kms_class": c} for c in KEY_ARNS]
    + [
        {
            "__kms_class": "ebs",
            "kms_ebs_service_role_arns": [f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"],
        }
    ],
    "roles/data/templates/bucket-policy.json.j2": [
        {"__data_bucket": {"purpose": "records", "name": "hp-records", "sse": "aws:kms", "key_arn": KEY_ARNS["objects"]}},
        {"__data_bucket": {"purpose": "content", "name": "hp-content", "sse": "aws:kms", "key_arn": KEY_ARNS["objects"]}},
        {"__data_bucket": {"purpose": "logs", "name": "aws-waf-logs-hp", "sse": "aws:kms", "key_arn": KEY_ARNS["logs"]}},
        {"__data_bucket": {"purpose": "logs", "name": "aws-waf-logs-hp", "sse": "AES256", "key_arn": ""}},
    ],
}


class Placeholder(jinja2.ChainableUndefined):
    """A variable no sample covers: renders as a placeholder, survives attribute, item and call chains."""

    def __str__(self):
        return PLACEHOLDER

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter(())

    def __contains__(self, item):
        return False

    def __len__(self):
        return 0


def environments():
    from ansible.plugins.filter.core import FilterModule as CoreFilters
    from ansible.plugins.filter.mathstuff import FilterModule as MathFilters
    from ansible.plugins.test.core import TestModule as CoreTests

    from ansible_collections.healthplatform.aws.plugins.filter.iam_policy_errors import FilterModule as PolicyFilters

    made = []
    for cls in (jinja2.Environment, NativeEnvironment):
        env = cls(undefined=Placeholder, extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
        env.filters.update(CoreFilters().filters())
        env.filters.update(MathFilters().filters())
        env.filters.update({f"healthplatform.aws.{k}": v for k, v in PolicyFilters().filters().items()})
        # a placeholder inside to_json becomes the placeholder text
        env.filters["to_json"] = lambda value, **kw: json.dumps(value, default=str, **kw)
        env.filters["to_nice_json"] = lambda value, indent=4, **kw: json.dumps(value, default=str, indent=indent, sort_keys=True, **kw)
        env.tests.update(CoreTests().tests())
        made.append(env)
    return made


def native_concat(values):
    """Like Ansible: a template that is one expression keeps the value's type; text stays text (no literal_eval)."""
    values = list(values)
    if len(values) == 1:
        return values[0]
    return "".join(str(v) for v in values)


TEXT_ENV, NATIVE_ENV = environments()
NATIVE_ENV.concat = staticmethod(native_concat)


class Variables(dict):
    """Role defaults and vars that are themselves templates, resolved when read (like Ansible's lazy templating)."""

    def __getitem__(self, key):
        value = super().__getitem__(key)
        return self.resolve(value)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def resolve(self, value):
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            try:
                return render(NATIVE_ENV, value, self)
            except Exception:  # pylint: disable=broad-except  # a sample too rough for this expression
                return Placeholder()
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value


def render(env, source, variables):
    """Render with ``variables`` itself as the context (template.render() would copy it and skip the lazy resolution)."""
    template = env.from_string(source)
    return env.concat(template.root_render_func(template.new_context(variables, shared=True)))


def role_variables(role):
    variables = Variables()
    for other in sorted(glob.glob(os.path.join(REPO, "roles", "*"))):
        for part in ("defaults", "vars"):
            path = os.path.join(other, part, "main.yml")
            if os.path.exists(path):
                with open(path, encoding="utf-8") as handle:
                    data = yaml.safe_load(handle) or {}
                if os.path.basename(other) == role or part == "defaults":
                    variables.update(data)
    variables.update(FACTS)
    variables.update(dict(TEXT_ENV.globals))
    return variables


def shipped_templates():
    patterns = ["roles/*/templates/**/*.json.j2", "roles/*/templates/**/*.json", "roles/*/files/**/*.json", "playbooks/**/*.json.j2", "playbooks/**/*.json"]
    found = set()
    for pattern in patterns:
        found.update(os.path.relpath(p, REPO) for p in glob.glob(os.path.join(REPO, pattern), recursive=True))
    return sorted(found)


def rendered_documents():
    """(label, document or None, rendered text) for every template shape."""
    for path in shipped_templates():
        role = path.split("/")[1] if path.startswith("roles/") else None
        with open(os.path.join(REPO, path), encoding="utf-8") as handle:
            source = handle.read()
        for index, extra in enumerate(VARIANTS.get(path, [{}])):
            variables = role_variables(role)
            variables.update(extra)
            if not path.endswith(".j2"):
                text = source
            else:
                try:
                    text = render(TEXT_ENV, source, variables)
                except Exception:  # pylint: disable=broad-except
                    # another tier's template whose facts no sample covers: every variable a placeholder
                    text = render(TEXT_ENV, source, Variables(FACTS, **extra))
            try:
                document = json.loads(text)
            except ValueError:
                document = None
            yield f"{path}#{index}", document, text


def yaml_policies():
    """Policy documents written inline in the roles' and playbooks' YAML."""

    def walk(node, where):
        if isinstance(node, dict):
            if "Statement" in node and isinstance(node["Statement"], (list, dict)):
                yield where, node
            for key, value in node.items():
                yield from walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{where}[{index}]")

    for path in sorted(glob.glob(os.path.join(REPO, "roles", "*", "*", "*.yml")) + glob.glob(os.path.join(REPO, "playbooks", "**", "*.yml"), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            try:
                data = yaml.safe_load(handle)
            except yaml.YAMLError:
                continue
        yield from walk(data, os.path.relpath(path, REPO))


DOCUMENTS = [(label, doc, text) for label, doc, text in rendered_documents() if isinstance(doc, dict) and "Statement" in doc]
INLINE = list(yaml_policies())


def test_every_template_of_our_tiers_is_found_and_renders_to_a_policy():
    own = {label.split("#")[0] for label, _doc, _text in DOCUMENTS if label.split("/")[1] in OWN_ROLES}
    expected = {p for p in shipped_templates() if p.split("/")[1] in OWN_ROLES}
    assert expected, "the kms, identity and data roles ship policy templates"
    assert own == expected, f"templates that did not render to a policy: {sorted(expected - own)}"
    # one key policy per data class (+ the EBS service-role shape), one bucket policy per bucket shape
    assert len([d for d in DOCUMENTS if d[0].startswith("roles/kms/")]) == len(KEY_ARNS) + 1
    assert len([d for d in DOCUMENTS if d[0].startswith("roles/data/")]) == 4


OWN = [d for d in DOCUMENTS if d[0].split("/")[1] in OWN_ROLES]


@pytest.mark.parametrize("label, document, text", OWN, ids=[d[0] for d in OWN])
def test_our_templates_render_completely(label, document, text):
    assert PLACEHOLDER not in text, f"{label} uses a variable the role does not define"
    assert document["Version"] == "2012-10-17"


ALL = [(d[0], d[1]) for d in DOCUMENTS] + INLINE


@pytest.mark.parametrize("label, document", ALL, ids=[d[0] for d in ALL])
def test_no_administrator_wildcard_and_no_privilege_escalation(label, document):
    assert policy_errors(document, label) == []


def test_the_identity_role_ships_the_five_duties_and_mfa_enforcement():
    labels = {d[0].split("#")[0] for d in DOCUMENTS}
    for duty in ("end-user-support", "database-administration", "security", "system-administration", "super-admin"):
        assert f"roles/identity/templates/policy-duty-{duty}.json.j2" in labels
    mfa = next(d[1] for d in DOCUMENTS if d[0].startswith("roles/identity/templates/policy-require-mfa.json.j2"))
    deny = [s for s in mfa["Statement"] if s["Effect"] == "Deny"]
    assert deny and deny[0]["Condition"] == {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
    assert "NotAction" in deny[0] and "sts:GetSessionToken" in deny[0]["NotAction"]


def test_key_policies_use_services_only_under_conditions():
    for label, document, _text in DOCUMENTS:
        if not label.startswith("roles/kms/"):
            continue
        for statement in document["Statement"][1:]:
            principal = statement["Principal"]
            condition = statement.get("Condition", {})
            if "Service" in principal:
                keys = {k for block in condition.values() for k in block}
                assert keys & {"aws:SourceAccount", "kms:EncryptionContext:aws:logs:arn"}, f"{label} {statement['Sid']} is not limited to the account"
            elif principal["AWS"] == f"arn:aws:iam::{ACCOUNT}:root":
                assert condition["StringEquals"]["kms:CallerAccount"] == ACCOUNT, f"{label} {statement['Sid']}"
                assert condition["StringEquals"]["kms:ViaService"].endswith(f".{REGION}.amazonaws.com")
        admin = document["Statement"][0]
        assert not {"kms:Decrypt", "kms:Encrypt", "kms:*"} & set(admin["Action"]), "administration never includes use"


# ---- the checks catch what they claim to ---------------------------------------------------


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


@pytest.mark.parametrize(
    "document, expected",
    [
        (doc(allow("*")), 'allows "Action": "*" on "Resource": "*"'),
        (doc(allow("*:*")), 'allows "Action": "*" on "Resource": "*"'),
        (doc(allow(["s3:GetObject", "*"])), 'allows "Action": "*" on "Resource": "*"'),
        (doc(allow("*", "arn:aws:s3:::bucket")), 'allows "Action": "*"'),
        (doc(allow(["iam:PassRole", "ec2:RunInstances"])), "iam:PassRole + ec2:RunInstances"),
        (doc(allow("iam:PassRole"), allow("ec2:Run*")), "iam:PassRole + ec2:RunInstances"),
        (doc(allow("iam:*")), "iam:CreatePolicyVersion"),
        (doc(allow("iam:Put*")), "iam:PutUserPolicy"),
        (doc(allow("IAM:ATTACHUSERPOLICY")), "iam:AttachUserPolicy"),
        (doc(allow("iam:CreatePolicyVersion")), "privilege escalation"),
        (doc(allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"])), "lambda:CreateFunction"),
        (doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}), "NotAction"),
        (doc({"Effect": "Allow", "Action": "iam:AddUserToGroup", "NotResource": "arn:aws:iam::1:group/x"}), "iam:AddUserToGroup"),
        ({"Version": "2012-10-17", "Statement": allow("*")}, 'allows "Action": "*" on "Resource": "*"'),
        ("not json", "not a policy document"),
    ],
)
def test_the_check_catches_a_bad_document(document, expected):
    errors = policy_errors(document, "sample")
    assert any(expected in e for e in errors), errors
    assert all(e.startswith("sample") for e in errors), "every message names the document"


@pytest.mark.parametrize(
    "document",
    [
        doc(allow(["s3:GetObject"], "arn:aws:s3:::bucket/*")),
        doc(allow("iam:PassRole", "arn:aws:iam::123456789012:role/app"), allow("ec2:RunInstances")),
        doc(allow("iam:CreatePolicyVersion", "arn:aws:iam::123456789012:policy/healthplatform/*")),
        doc({"Effect": "Deny", "Action": "*", "Resource": "*"}),
        doc({"Effect": "Deny", "NotAction": "iam:ChangePassword", "Resource": "*"}),
        doc(allow(["iam:Get*", "iam:List*", "ec2:Describe*"])),
    ],
)
def test_the_check_passes_a_scoped_document(document):
    assert policy_errors(document, "sample") == []


def test_the_filter_takes_a_list_of_statements_and_names_the_variable():
    errors = iam_policy_errors([allow("*")], "identity_duty_extra_statements.security")
    assert errors and errors[0].startswith("identity_duty_extra_statements.security")
    assert iam_policy_errors(json.dumps(doc(allow("s3:GetObject", "arn:aws:s3:::b/*")))) == []
