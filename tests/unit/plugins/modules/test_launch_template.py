# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""launch_template and launch_template_info against the moto server (launch templates, AMIs and the
public SSM AMI parameters are emulated), and the user data secret scan of module_utils/compute."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.healthplatform.aws.plugins.module_utils.compute import secret_findings
from ansible_collections.healthplatform.aws.plugins.modules import launch_template
from ansible_collections.healthplatform.aws.plugins.modules import launch_template_info

AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
# Bad input fails before any API call: these need not exist.
FAKE_AMI = "ami-0a0a0a0a0a0a0a0a0"
FAKE_SG = "sg-0a0a0a0a0a0a0a0a0"
USER_DATA = "#!/bin/bash\nset -euo pipefail\nsystemctl enable --now amazon-ssm-agent\n"


@pytest.fixture
def ami(aws):
    images = aws.client("ec2").describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-kernel-6.1-x86_64"]}])["Images"]
    return images[0]["ImageId"]


@pytest.fixture
def sg(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    return ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]


def lt_args(ami, sg, **extra):
    args = {
        "name": "hp-test-web",
        "image_id": ami,
        "instance_type": "t3.small",
        "iam_instance_profile": "hp-test-web",
        "security_group_ids": [sg],
        "root_volume": {"size": 20, "kms_key_id": KEY_ARN},
        "detailed_monitoring": True,
        "user_data": USER_DATA,
        "launch_tags": {"Role": "web", "PatchGroup": "web-al2023", "Environment": "test"},
        "tags": {"Environment": "test"},
    }
    args.update(extra)
    return args


def default_version(aws, name="hp-test-web"):
    ec2 = aws.client("ec2")
    template = ec2.describe_launch_templates(Filters=[{"Name": "launch-template-name", "Values": [name]}])["LaunchTemplates"][0]
    version = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"], Versions=["$Default"])["LaunchTemplateVersions"][0]
    return template, version


def templates(aws):
    return aws.client("ec2").describe_launch_templates()["LaunchTemplates"]


def test_create_hardened_template(aws, ami, sg):
    result = aws.run(launch_template.main, lt_args(ami, sg))

    assert result["changed"] is True and result["version_created"] is True, result
    template, version = default_version(aws)
    data = version["LaunchTemplateData"]
    assert result["launch_template"]["launch_template_id"] == template["LaunchTemplateId"]
    assert result["launch_template"]["default_version_number"] == 1
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert data["MetadataOptions"]["HttpPutResponseHopLimit"] == 1
    (root,) = data["BlockDeviceMappings"]
    assert root["DeviceName"] == "/dev/xvda", "the root device name comes from the AMI"
    assert root["Ebs"]["Encrypted"] is True
    assert root["Ebs"]["KmsKeyId"] == KEY_ARN
    assert root["Ebs"]["VolumeType"] == "gp3"
    (interface,) = data["NetworkInterfaces"]
    assert interface["AssociatePublicIpAddress"] is False
    assert interface["Groups"] == [sg]
    assert data["IamInstanceProfile"] == {"Name": "hp-test-web"}
    assert "KeyName" not in data
    assert base64.b64decode(data["UserData"]).decode() == USER_DATA
    specs = {s["ResourceType"]: {t["Key"]: t["Value"] for t in s["Tags"]} for s in data["TagSpecifications"]}
    for kind in ("instance", "volume", "network-interface"):
        assert specs[kind] == {"Role": "web", "PatchGroup": "web-al2023", "Environment": "test"}
    assert template["Tags"] == [{"Key": "Environment", "Value": "test"}]
    assert result["launch_template"]["tags"] == {"Environment": "test"}
    assert result["image_id"] == ami


def test_no_change_makes_no_mutating_call(aws, ami, sg):
    aws.run(launch_template.main, lt_args(ami, sg))
    with aws.recording() as calls:
        result = aws.run(launch_template.main, lt_args(ami, sg))

    assert result["changed"] is False and result["version_created"] is False, result
    assert calls, "the module must read the template"
    assert aws.mutating(calls) == []
    assert result["launch_template"]["default_version_number"] == 1


def test_image_from_the_public_ssm_parameter(aws, sg):
    expected = aws.client("ssm").get_parameter(Name=AL2023_PARAMETER)["Parameter"]["Value"]
    args = lt_args(None, sg, image_ssm_parameter=AL2023_PARAMETER)
    del args["image_id"]

    result = aws.run(launch_template.main, args)

    assert result["changed"] is True
    assert result["image_id"] == expected
    assert default_version(aws)[1]["LaunchTemplateData"]["ImageId"] == expected
    assert aws.run(launch_template.main, args)["changed"] is False


def test_missing_ssm_parameter_fails_before_any_change(aws, sg):
    args = lt_args(None, sg, image_ssm_parameter="/hp/test/no-such-ami")
    del args["image_id"]
    with aws.recording() as calls:
        result = aws.run(launch_template.main, args)

    assert result.failed and "image_ssm_parameter" in result["msg"]
    assert aws.mutating(calls) == []


def test_unknown_ami_fails_before_any_change(aws, sg):
    with aws.recording() as calls:
        result = aws.run(launch_template.main, lt_args("ami-0123456789abcdef0", sg))

    assert result.failed and "ami-0123456789abcdef0" in result["msg"]
    assert aws.mutating(calls) == []
    assert templates(aws) == []


def test_change_makes_a_new_default_version(aws, ami, sg):
    aws.run(launch_template.main, lt_args(ami, sg))
    result = aws.run(launch_template.main, lt_args(ami, sg, instance_type="t3.medium"), diff=True)

    assert result["changed"] is True and result["version_created"] is True
    template, version = default_version(aws)
    assert template["DefaultVersionNumber"] == 2 == template["LatestVersionNumber"]
    assert version["LaunchTemplateData"]["InstanceType"] == "t3.medium"
    assert result["launch_template"]["default_version_number"] == 2
    assert result["version"]["version_number"] == 2
    assert result["diff"]["before"]["template"]["instance_type"] == "t3.small"
    assert result["diff"]["after"]["template"]["instance_type"] == "t3.medium"
    assert aws.run(launch_template.main, lt_args(ami, sg, instance_type="t3.medium"))["changed"] is False


def test_omitted_profile_groups_and_key_are_kept(aws, ami, sg):
    aws.run(launch_template.main, lt_args(ami, sg))
    args = lt_args(ami, sg, root_volume={"size": 20})
    del args["iam_instance_profile"], args["security_group_ids"]

    with aws.recording() as calls:
        result = aws.run(launch_template.main, args)

    assert result["changed"] is False, result["diff"] if "diff" in result else result
    assert aws.mutating(calls) == []
    data = default_version(aws)[1]["LaunchTemplateData"]
    assert data["IamInstanceProfile"] == {"Name": "hp-test-web"}
    assert data["BlockDeviceMappings"][0]["Ebs"]["KmsKeyId"] == KEY_ARN


def test_new_template_without_key_uses_the_default_ebs_key(aws, ami, sg):
    args = lt_args(ami, sg, root_volume={"size": 30})
    del args["iam_instance_profile"]
    aws.run(launch_template.main, args)

    data = default_version(aws)[1]["LaunchTemplateData"]
    ebs = data["BlockDeviceMappings"][0]["Ebs"]
    assert ebs["Encrypted"] is True and "KmsKeyId" not in ebs
    assert ebs["VolumeSize"] == 30
    assert "IamInstanceProfile" not in data


def test_empty_string_removes_the_profile(aws, ami, sg):
    aws.run(launch_template.main, lt_args(ami, sg))
    result = aws.run(launch_template.main, lt_args(ami, sg, iam_instance_profile=""))

    assert result["version_created"] is True
    assert "IamInstanceProfile" not in default_version(aws)[1]["LaunchTemplateData"]


def test_drift_is_replaced_by_a_clean_version(aws, ami, sg):
    first = aws.run(launch_template.main, lt_args(ami, sg))
    ec2 = aws.client("ec2")
    template_id = first["launch_template"]["launch_template_id"]
    # someone adds a key pair and IMDSv1 by hand and makes it the default
    drifted = ec2.create_launch_template_version(
        LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={"KeyName": "ops", "MetadataOptions": {"HttpTokens": "optional"}}
    )
    ec2.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion=str(drifted["LaunchTemplateVersion"]["VersionNumber"]))

    result = aws.run(launch_template.main, lt_args(ami, sg))

    assert result["changed"] is True and result["launch_template"]["default_version_number"] == 3
    data = default_version(aws)[1]["LaunchTemplateData"]
    assert "KeyName" not in data
    assert data["MetadataOptions"]["HttpTokens"] == "required"


def test_tags_update_in_place(aws, ami, sg):
    aws.run(launch_template.main, lt_args(ami, sg))
    result = aws.run(launch_template.main, lt_args(ami, sg, tags={"Environment": "test", "Owner": "ops"}))

    assert result["changed"] is True and result["version_created"] is False
    template, _version = default_version(aws)
    assert template["DefaultVersionNumber"] == 1
    # DescribeTags: moto's DescribeLaunchTemplates shows only the tags given at creation
    live = aws.client("ec2").describe_tags(Filters=[{"Name": "resource-id", "Values": [template["LaunchTemplateId"]]}])["Tags"]
    assert {t["Key"]: t["Value"] for t in live} == {"Environment": "test", "Owner": "ops"}
    with aws.recording() as calls:
        assert aws.run(launch_template.main, lt_args(ami, sg, tags={"Environment": "test", "Owner": "ops"}))["changed"] is False
    assert aws.mutating(calls) == []
    assert result["launch_template"]["tags"] == {"Environment": "test", "Owner": "ops"}


def test_check_mode_changes_nothing(aws, ami, sg):
    with aws.recording() as calls:
        create = aws.run(launch_template.main, lt_args(ami, sg), check_mode=True)
    assert create["changed"] is True and create["version_created"] is True
    assert create["launch_template"]["default_version_number"] == 1
    assert aws.mutating(calls) == []
    assert templates(aws) == []

    aws.run(launch_template.main, lt_args(ami, sg))
    with aws.recording() as calls:
        update = aws.run(launch_template.main, lt_args(ami, sg, instance_type="t3.large", tags={"New": "tag"}), check_mode=True)
        delete = aws.run(launch_template.main, {"name": "hp-test-web", "state": "absent"}, check_mode=True)
        same = aws.run(launch_template.main, lt_args(ami, sg), check_mode=True)
    assert update["changed"] is True and update["launch_template"]["default_version_number"] == 2
    assert update["launch_template"]["tags"] == {"New": "tag"}
    assert delete["changed"] is True
    assert same["changed"] is False
    assert aws.mutating(calls) == []
    template, version = default_version(aws)
    assert template["LatestVersionNumber"] == 1 and version["LaunchTemplateData"]["InstanceType"] == "t3.small"


def test_delete_and_delete_again(aws, ami, sg):
    aws.run(launch_template.main, lt_args(ami, sg))
    assert aws.run(launch_template.main, {"name": "hp-test-web", "state": "absent"})["changed"] is True
    assert templates(aws) == []
    assert aws.run(launch_template.main, {"name": "hp-test-web", "state": "absent"})["changed"] is False


SECRET_USER_DATA = [
    pytest.param("#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", "AWS access key ID", id="aws-key-id"),
    pytest.param("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "AWS secret access key", id="aws-secret"),
    pytest.param("cat > /etc/tls.key <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nMIIB\nEOF\n", "private key", id="private-key"),
    pytest.param("-----BEGIN OPENSSH PRIVATE KEY-----\n", "private key", id="openssh-key"),
    pytest.param("echo 'DB_PASSWORD=hunter2hunter2' >> /etc/app.env\n", "password or secret assignment", id="password"),
    pytest.param('mysql --password="S3cretS3cret" -e "select 1"\n', "password or secret assignment", id="password-flag"),
    pytest.param("API_KEY: abcd1234efgh\n", "password or secret assignment", id="api-key"),
    pytest.param("psql postgres://admin:pa55word@db.internal/app\n", "credentials in a URL", id="url-credentials"),
    pytest.param("git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/x/y\n", "GitHub token", id="github-token"),
]


@pytest.mark.parametrize("text, kind", SECRET_USER_DATA)
def test_secret_in_user_data_fails_before_any_call(aws, text, kind):
    with aws.recording() as calls:
        result = aws.run(launch_template.main, lt_args(FAKE_AMI, FAKE_SG, user_data=text))

    assert result.failed
    assert "user_data" in result["msg"] and kind in result["msg"]
    for secret in ("AKIAIOSFODNN7EXAMPLE", "hunter2", "S3cretS3cret", "pa55word", "wJalrXUtnFEMI", "ghp_abc"):
        assert secret not in result["msg"], "the message must never repeat the secret"
    assert calls == []


@pytest.mark.parametrize(
    "text",
    [
        USER_DATA,
        'PASSWORD="$(aws secretsmanager get-secret-value --secret-id app/db --query SecretString --output text)"\n',
        'TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")\n',
        "password=${DB_PASSWORD}\n",
        "# the password file is written by the app_secrets role, never here\n",
        "curl https://packages.example.org/repo.gpg\n",
    ],
)
def test_bootstrap_scripts_are_not_flagged(text):
    assert secret_findings(text) == []


@pytest.mark.parametrize(
    "args, option",
    [
        ({"image_id": "ubuntu"}, "image_id"),
        ({"image_id": None}, "image_id or image_ssm_parameter"),
        ({"instance_type": None}, "instance_type"),
        ({"security_group_ids": ["web"]}, "security_group_ids"),
        ({"root_volume": {"kms_key_id": "my-key"}}, "root_volume.kms_key_id"),
        ({"root_volume": {"type": "gp2", "iops": 3000}}, "root_volume.iops"),
        ({"root_volume": {"type": "io2", "throughput": 500}}, "root_volume.throughput"),
        ({"root_volume": {"size": 0}}, "root_volume.size"),
        ({"metadata_options": {"http_put_response_hop_limit": 0}}, "metadata_options.http_put_response_hop_limit"),
        ({"metadata_options": {"http_tokens": "sometimes"}}, "http_tokens"),
        ({"iam_instance_profile": "arn:aws:iam::123456789012:role/web"}, "iam_instance_profile"),
        ({"name": "x"}, "name"),
        ({"image_ssm_parameter": AL2023_PARAMETER}, "image_id|image_ssm_parameter"),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(launch_template.main, lt_args(FAKE_AMI, FAKE_SG, **args))

    assert result.failed
    assert option in result["msg"], result["msg"]
    assert calls == [], "validation must happen before any API call"


def test_info_reports_versions_and_secret_findings(aws, ami, sg):
    aws.run(launch_template.main, lt_args(ami, sg))
    # a template made outside the collection, with a secret in its user data
    aws.client("ec2").create_launch_template(
        LaunchTemplateName="hp-test-legacy",
        LaunchTemplateData={"ImageId": ami, "UserData": base64.b64encode(b"#!/bin/sh\nexport DB_PASSWORD=letmein123\n").decode()},
    )

    result = aws.run(launch_template_info.main, {})
    by_name = {t["launch_template_name"]: t for t in result["launch_templates"]}

    assert result["changed"] is False
    assert set(by_name) == {"hp-test-web", "hp-test-legacy"}
    (web,) = by_name["hp-test-web"]["versions"]
    assert web["launch_template_data"]["metadata_options"]["http_tokens"] == "required"
    assert web["user_data_secret_findings"] == []
    (legacy,) = by_name["hp-test-legacy"]["versions"]
    assert legacy["user_data_secret_findings"] == ["password or secret assignment"]
    assert legacy["launch_template_data"]["user_data"].startswith("(withheld")
    assert "letmein123" not in str(result), "a secret found in user data is never returned"
    assert base64.b64encode(b"letmein123").decode()[:8] not in str(result)

    only = aws.run(launch_template_info.main, {"names": ["hp-test-web"], "versions": []})
    assert [t["launch_template_name"] for t in only["launch_templates"]] == ["hp-test-web"]
    assert only["launch_templates"][0]["versions"] == []
    assert only["launch_templates"][0]["tags"] == {"Environment": "test"}
