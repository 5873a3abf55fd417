# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""platform_audit, identity controls: HP-01 (MFA), HP-02 (portal user pools), HP-09 (least privilege).

All against the moto server, which implements every API these checks read (IAM authorization
details, credential report, login profiles, MFA devices; Cognito user pools and their MFA
configuration). Each test also asserts that the audit made no mutating call (it never even
generates a credential report). The unknown path of every control is in test_platform_audit.py.
"""

from __future__ import annotations

import json

from auditlab import PREFIX
from auditlab import audit
from auditlab import duty_groups
from auditlab import iam_policy
from auditlab import instance_role
from auditlab import launch_template

from ansible_collections.healthplatform.aws.plugins.modules import platform_audit

# ---------------------------------------------------------------- HP-01


def console_user(aws, name, mfa):
    iam = aws.client("iam")
    iam.create_user(UserName=name)
    iam.create_login_profile(UserName=name, Password="Correct-Horse-Battery-9")
    if mfa:
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
        iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")


def test_console_users_with_mfa_and_enforcing_groups_pass_hp01(aws):
    duty_groups(aws)
    console_user(aws, "alice", mfa=True)
    aws.client("iam").create_user(UserName="ci-reader")  # no console password: MFA does not apply

    found = audit(aws, platform_audit.main, ["HP-01"])["HP-01"]

    assert found["status"] == "pass", found
    assert found["evidence"]["ConsoleUsers"] == 1
    assert found["evidence"]["GroupMfaPolicies"][f"{PREFIX}-security"] == [f"{PREFIX}-require-mfa"]
    assert "read one by one" in found["evidence"]["CredentialReport"], "without a current report, users are read one by one"


def test_console_user_without_mfa_and_group_without_enforcement_fail_hp01(aws):
    duty_groups(aws)
    aws.client("iam").create_group(GroupName="contractors")
    console_user(aws, "bob", mfa=False)

    found = audit(aws, platform_audit.main, ["HP-01"])["HP-01"]

    assert found["status"] == "fail"
    assert "group contractors has no MFA-enforcement policy" in found["reason"]
    assert "console users without MFA: bob" in found["reason"]


def test_credential_report_is_read_when_current_hp01(aws):
    duty_groups(aws)
    console_user(aws, "carol", mfa=False)
    aws.client("iam").generate_credential_report()

    found = audit(aws, platform_audit.main, ["HP-01"])["HP-01"]

    assert found["evidence"]["CredentialReport"].startswith("generated ")
    assert found["status"] == "fail" and "console users without MFA: carol" in found["reason"]


def test_no_group_at_all_fails_hp01(aws):
    found = audit(aws, platform_audit.main, ["HP-01"])["HP-01"]

    assert found["status"] == "fail"
    assert "no IAM group" in found["reason"]


# ---------------------------------------------------------------- HP-02


def user_pool(aws, name, mfa="ON", security="ENFORCED", min_length=14):
    cognito = aws.client("cognito-idp")
    pool = cognito.create_user_pool(
        PoolName=name,
        Policies={
            "PasswordPolicy": {"MinimumLength": min_length, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True, "RequireSymbols": True}
        },
        UserPoolAddOns={"AdvancedSecurityMode": security},
        UserPoolTags={"Platform": "healthplatform", "Environment": "lab"},
    )["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(UserPoolId=pool, SoftwareTokenMfaConfiguration={"Enabled": mfa != "OFF"}, MfaConfiguration=mfa)
    return pool


def test_portal_pools_with_totp_and_threat_protection_pass_hp02(aws):
    user_pool(aws, f"{PREFIX}-patients")
    user_pool(aws, f"{PREFIX}-providers")
    user_pool(aws, "someone-elses-pool", mfa="OFF", security="OFF", min_length=6)  # not the platform's

    found = audit(aws, platform_audit.main, ["HP-02"])["HP-02"]

    assert found["status"] == "pass", found
    assert set(found["evidence"]) == {f"{PREFIX}-patients", f"{PREFIX}-providers"}
    assert found["evidence"][f"{PREFIX}-patients"]["Totp"] is True


def test_optional_mfa_audit_mode_and_short_passwords_fail_hp02(aws):
    user_pool(aws, f"{PREFIX}-patients", mfa="OPTIONAL", security="AUDIT", min_length=8)

    found = audit(aws, platform_audit.main, ["HP-02"])["HP-02"]

    assert found["status"] == "fail"
    assert f"{PREFIX}-patients: MFA is OPTIONAL, not ON" in found["reason"]
    assert "advanced security (threat protection) is AUDIT, not ENFORCED" in found["reason"]
    assert "password minimum length 8 < 14" in found["reason"]


def test_no_portal_pool_fails_hp02(aws):
    found = audit(aws, platform_audit.main, ["HP-02"])["HP-02"]

    assert found["status"] == "fail" and f"no Cognito user pool named {PREFIX}-*" in found["reason"]


# ---------------------------------------------------------------- HP-09


def platform_identity(aws):
    duty_groups(aws)
    instance_role(aws)
    launch_template(aws)


def test_duty_groups_and_a_scoped_instance_role_pass_hp09(aws):
    platform_identity(aws)

    found = audit(aws, platform_audit.main, ["HP-09"])["HP-09"]

    assert found["status"] == "pass", found
    assert set(found["evidence"]["DutyGroups"]) == {
        f"{PREFIX}-{d}" for d in ("end-user-support", "database-administration", "security", "system-administration", "super-admin")
    }
    assert found["evidence"]["InstanceRoles"] == {f"{PREFIX}-instance": [f"{PREFIX}-instance-secrets"]}


def pull_mode_statements(bucket=f"{PREFIX}-content-123456789012-us-east-1", prefix="state-manager/", via="s3.us-east-1.amazonaws.com"):
    """What the identity role grants the instances for State Manager pull mode (roles/identity policy-instance-secrets.json.j2)."""
    key = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    return [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/{prefix}*"},
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/{prefix}output/*"},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key, "Condition": {"StringEquals": {"kms:ViaService": via}}},
    ]


def test_instance_role_with_its_pull_mode_bundle_passes_hp09(aws):
    duty_groups(aws)
    instance_role(aws, extra_statements=pull_mode_statements())
    launch_template(aws)

    found = audit(aws, platform_audit.main, ["HP-09"])["HP-09"]

    assert found["status"] == "pass", found


def test_instance_role_reaching_beyond_its_bundle_fails_hp09(aws):
    duty_groups(aws)
    instance_role(aws, extra_statements=pull_mode_statements(bucket="someone-elses-bucket", via="ec2.us-east-1.amazonaws.com"))
    launch_template(aws)

    found = audit(aws, platform_audit.main, ["HP-09"])["HP-09"]

    assert found["status"] == "fail"
    assert "allows s3:getobject on arn:aws:s3:::someone-elses-bucket/state-manager/*" in found["reason"]
    assert "allows kms:GenerateDataKey other than through S3" in found["reason"]


def test_admin_policy_user_policy_and_broad_instance_role_fail_hp09(aws):
    duty_groups(aws, duties=("end-user-support", "security", "system-administration", "super-admin"))
    instance_role(aws, extra_statements=[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}])
    launch_template(aws)
    iam = aws.client("iam")
    admin = iam_policy(aws, "break-glass", [{"Effect": "Allow", "Action": "*", "Resource": "*"}], path="/")
    iam.attach_group_policy(GroupName=f"{PREFIX}-security", PolicyArn=admin)
    iam.create_user(UserName="dave")
    iam.put_user_policy(
        UserName="dave",
        PolicyName="own",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}),
    )

    found = audit(aws, platform_audit.main, ["HP-09"])["HP-09"]

    assert found["status"] == "fail"
    reason = found["reason"]
    assert f"no IAM group {PREFIX}-database-administration for the database-administration duty" in reason
    assert 'break-glass statement 0: allows "Action": "*" on "Resource": "*" (full administrator)' in reason
    assert "users with policies of their own (only groups grant permissions): dave" in reason
    assert f"instance role {PREFIX}-instance: {PREFIX}-instance-secrets allows s3:getobject" in reason


def test_escalation_in_a_platform_roles_inline_policy_fails_hp09(aws):
    platform_identity(aws)
    iam = aws.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName=f"{PREFIX}-scheduling", AssumeRolePolicyDocument=json.dumps(trust))
    escalation = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:AttachRolePolicy"], "Resource": "*"}]}
    iam.put_role_policy(RoleName=f"{PREFIX}-scheduling", PolicyName="scheduling", PolicyDocument=json.dumps(escalation))

    found = audit(aws, platform_audit.main, ["HP-09"])["HP-09"]

    assert found["status"] == "fail"
    assert f"{PREFIX}-scheduling inline scheduling: allows iam:AttachRolePolicy on every resource (privilege escalation)" in found["reason"]


def test_no_instance_role_fails_hp09(aws):
    duty_groups(aws)

    found = audit(aws, platform_audit.main, ["HP-09"])["HP-09"]

    assert found["status"] == "fail" and "no instance role found" in found["reason"]
