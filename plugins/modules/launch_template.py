#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: launch_template
short_description: Manage a hardened EC2 launch template for an Auto Scaling group
version_added: 0.1.0
description:
  - Creates, updates or deletes one EC2 launch template, identified by O(name), whose instances
    require IMDSv2 by default, boot from an encrypted EBS root volume, get no public IP address and no
    key pair (instances are reached through Systems Manager, never SSH), and carry their tags from launch.
  - The template's default version is compared with what the options describe. When anything differs
    the module creates a new version with the whole data and makes it the default; the version number
    it returns (RV(launch_template.default_version_number)) is what an Auto Scaling group should use, so
    that the group notices a new version and can roll its instances (see M(healthplatform.aws.autoscaling_group)).
  - The AMI is given as O(image_id), or as O(image_ssm_parameter), a Systems Manager parameter that names
    the latest AMI (AWS publishes them under C(/aws/service/ami-amazon-linux-latest/)); it is read on every
    run, so a newer AMI makes a new version.
  - The root volume is always encrypted; the device name is read from the AMI unless given.
  - User data is for bootstrapping only. User data that looks like it holds a secret (an AWS key, a
    private key, a literal C(password=...), credentials in a URL, ...) is refused before any API call;
    the message names what was found, never the text.
  - O(iam_instance_profile), O(security_group_ids) and O(root_volume.kms_key_id) keep the current version's
    value when omitted (nothing for a new template), so that a run without the tiers that provide them
    never strips them from the template.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the launch template should exist.
    type: str
    choices: [present, absent]
    default: present
  name:
    description: Name of the launch template.
    type: str
    required: true
  image_id:
    description: The AMI ID. Mutually exclusive with O(image_ssm_parameter); one of them is required when O(state=present).
    type: str
  image_ssm_parameter:
    description:
      - Name of a Systems Manager parameter whose value is the AMI ID, read on every run.
      - For example C(/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64).
    type: str
  instance_type:
    description: The instance type. Required when O(state=present).
    type: str
  iam_instance_profile:
    description:
      - Name or ARN of the instance profile the instances get.
      - When omitted, the current version's profile is kept (none for a new template). An empty string removes it.
    type: str
  security_group_ids:
    description:
      - Security groups of the instances' primary network interface.
      - When omitted, the current version's groups are kept (none for a new template, which means the VPC's default group).
    type: list
    elements: str
  associate_public_ip_address:
    description: Whether instances get a public IP address. The platform's controls require C(false).
    type: bool
    default: false
  metadata_options:
    description: Instance metadata service (IMDS) settings.
    type: dict
    default: {}
    suboptions:
      http_tokens:
        description: C(required) allows IMDSv2 only (session tokens); C(optional) also allows IMDSv1.
        type: str
        choices: [required, optional]
        default: required
      http_put_response_hop_limit:
        description: How many network hops an IMDSv2 token may travel; 1 keeps it on the instance.
        type: int
        default: 1
      http_endpoint:
        description: Whether the metadata service is reachable at all.
        type: str
        choices: [enabled, disabled]
        default: enabled
      instance_metadata_tags:
        description: Whether the instance's tags are readable from the metadata service.
        type: str
        choices: [enabled, disabled]
        default: disabled
  root_volume:
    description: The encrypted EBS root volume.
    type: dict
    default: {}
    suboptions:
      device_name:
        description: Device name of the root volume. Read from the AMI (C(RootDeviceName)) when omitted.
        type: str
      size:
        description: Size in GiB.
        type: int
        default: 20
      type:
        description: Volume type.
        type: str
        choices: [gp3, gp2, io1, io2]
        default: gp3
      iops:
        description: Provisioned IOPS (gp3, io1, io2). Not set when omitted (AWS applies the type's baseline).
        type: int
      throughput:
        description: Throughput in MiB/s (gp3 only). Not set when omitted.
        type: int
      kms_key_id:
        description:
          - ARN, ID or alias of the KMS key that encrypts the volume.
          - When omitted, the current version's key is kept; a new template is encrypted with the
            account's default EBS key (the AWS managed C(aws/ebs) key unless EBS default encryption names another).
            An empty string removes the key from the template.
        type: str
      delete_on_termination:
        description: Whether the volume is deleted with its instance.
        type: bool
        default: true
  detailed_monitoring:
    description: One-minute CloudWatch metrics for the instances (target tracking reacts faster with them).
    type: bool
    default: false
  user_data:
    description:
      - The bootstrap script as text (the module base64-encodes it). Never a secret.
      - Omitted means no user data.
    type: str
  launch_tags:
    description: Tags applied at launch to the instances, their volumes and network interfaces.
    type: dict
  version_description:
    description: Description of a version the module creates (not compared).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - O(tags) are the tags of the template itself; they are updated in place and never make a new version.
  - Old versions are kept (an instance refresh with auto rollback needs the previous one).
  - Creates are sent with a client token, so a retried request never creates two templates or versions.
seealso:
  - module: healthplatform.aws.launch_template_info
  - module: healthplatform.aws.autoscaling_group
"""

EXAMPLES = r"""
- name: Launch template of the web tier, latest Amazon Linux 2023
  healthplatform.aws.launch_template:
    name: healthplatform-production-web
    image_ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
    instance_type: t3.small
    iam_instance_profile: healthplatform-production-web
    security_group_ids: [sg-0123456789abcdef0]
    metadata_options:
      http_tokens: required
    root_volume:
      size: 20
      kms_key_id: arn:aws:kms:us-east-1:123456789012:key/0b6e5f3c-1111-2222-3333-444455556666
    detailed_monitoring: true
    user_data: |
      #!/bin/bash
      systemctl enable --now amazon-ssm-agent
    launch_tags:
      Role: web
      PatchGroup: web-al2023
      Environment: production
    tags:
      Environment: production
  register: web_template

- name: Point the group at the version just made
  ansible.builtin.debug:
    msg: "{{ web_template.launch_template.launch_template_id }} version {{ web_template.launch_template.default_version_number }}"

- name: Remove a template
  healthplatform.aws.launch_template:
    name: healthplatform-staging-web
    state: absent
"""

RETURN = r"""
launch_template:
  description: The launch template as EC2 describes it (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    launch_template_id:
      description: ID of the template (absent in check mode before creation).
      type: str
      sample: lt-0123456789abcdef0
    launch_template_name:
      description: Name of the template.
      type: str
      sample: healthplatform-production-web
    default_version_number:
      description: The default version, the one the options describe.
      type: int
      sample: 3
    latest_version_number:
      description: The newest version.
      type: int
      sample: 3
    tags:
      description: Tags of the template itself.
      type: dict
      sample: {"Environment": "production"}
version:
  description:
    - The default version as EC2 describes it, its data in snake_case (user data base64-encoded as AWS stores it).
    - User data that looks like it holds a secret (possible only in a version made elsewhere) is replaced by a note.
  returned: when O(state=present)
  type: dict
  contains:
    version_number:
      description: The version number.
      type: int
      sample: 3
    launch_template_data:
      description: The version's data.
      type: dict
      sample: {"image_id": "ami-0123456789abcdef0", "instance_type": "t3.small", "metadata_options": {"http_tokens": "required"}}
version_created:
  description: Whether the run created (or in check mode would create) a template or a new version.
  returned: always
  type: bool
  sample: false
image_id:
  description: The AMI the default version launches (resolved from O(image_ssm_parameter) when given).
  returned: when O(state=present)
  type: str
  sample: ami-0123456789abcdef0
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import LAUNCH_TAG_RESOURCE_TYPES
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import encode_user_data
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import launch_tags_of
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import normalized_template_data
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import secret_findings
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import shown_user_data
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import withheld_secrets

NAME = re.compile(r"^[a-zA-Z0-9().\-/_]{3,128}$")
AMI_ID = re.compile(r"^ami-[0-9a-f]{8,17}$")
SG_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")
KMS_KEY = re.compile(
    r"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+|alias/.+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$"
)
PROFILE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:instance-profile/.+$")
SSM_NAME = re.compile(r"^/?[a-zA-Z0-9_.\-/]+$")


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    p = module.params
    if not NAME.match(p["name"]):
        module.fail_json(msg=f"name must be 3-128 letters, digits or ().-/_ characters, got {p['name']!r}")
    if p["state"] == "absent":
        return
    if not p["instance_type"]:
        module.fail_json(msg="instance_type is required when state is present")
    if not (p["image_id"] or p["image_ssm_parameter"]):
        module.fail_json(msg="image_id or image_ssm_parameter is required when state is present")
    if p["image_id"] and not AMI_ID.match(p["image_id"]):
        module.fail_json(msg=f"image_id must be an AMI ID such as ami-0123456789abcdef0, got {p['image_id']!r}")
    if p["image_ssm_parameter"] and not SSM_NAME.match(p["image_ssm_parameter"]):
        module.fail_json(msg=f"image_ssm_parameter must be a parameter name such as /aws/service/..., got {p['image_ssm_parameter']!r}")
    bad_groups = [g for g in p["security_group_ids"] or [] if not SG_ID.match(g)]
    if bad_groups:
        module.fail_json(msg=f"security_group_ids must hold security group IDs (sg-...), got {bad_groups}")
    profile = p["iam_instance_profile"]
    if profile and profile.startswith("arn:") and not PROFILE_ARN.match(profile):
        module.fail_json(msg=f"iam_instance_profile must be an instance profile name or ARN, got {profile!r}")
    hops = p["metadata_options"]["http_put_response_hop_limit"]
    if not 1 <= hops <= 64:
        module.fail_json(msg=f"metadata_options.http_put_response_hop_limit must be between 1 and 64, got {hops}")
    volume = p["root_volume"]
    if volume["size"] < 1:
        module.fail_json(msg=f"root_volume.size must be at least 1 GiB, got {volume['size']}")
    if volume["kms_key_id"] and not KMS_KEY.match(volume["kms_key_id"]):
        module.fail_json(msg=f"root_volume.kms_key_id must be a KMS key ARN, key ID or alias, got {volume['kms_key_id']!r}")
    if volume["throughput"] is not None and volume["type"] != "gp3":
        module.fail_json(msg="root_volume.throughput applies to root_volume.type gp3 only")
    if volume["iops"] is not None and volume["type"] == "gp2":
        module.fail_json(msg="root_volume.iops does not apply to root_volume.type gp2")
    found = secret_findings(p["user_data"])
    if found:
        module.fail_json(
            msg=(
                f"user_data looks like it holds a secret ({', '.join(found)}); user data is readable by anyone who may "
                "describe the launch template: bootstrap only, and let the instance read its secrets from Secrets Manager"
            )
        )


def find_template(client, name):
    templates = client.describe_launch_templates(Filters=[{"Name": "launch-template-name", "Values": [name]}], aws_retry=True)["LaunchTemplates"]
    return templates[0] if templates else None


def template_tags(client, template):
    """The template's tags, from DescribeTags: the emulator's DescribeLaunchTemplates shows only the tags given at creation."""
    if not template or "LaunchTemplateId" not in template:
        return {}
    found = client.describe_tags(Filters=[{"Name": "resource-id", "Values": [template["LaunchTemplateId"]]}], aws_retry=True)["Tags"]
    return {t["Key"]: t.get("Value", "") for t in found}


def describe_version(client, template_id, version="$Default"):
    versions = client.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=[str(version)], aws_retry=True)["LaunchTemplateVersions"]
    return versions[0] if versions else {}


def resolve_image(module, client_factory):
    """The AMI ID and its root device name (reads only)."""
    p = module.params
    image_id = p["image_id"]
    if p["image_ssm_parameter"]:
        ssm = client_factory("ssm")
        try:
            image_id = ssm.get_parameter(Name=p["image_ssm_parameter"], aws_retry=True)["Parameter"]["Value"]
        except is_boto3_error_code("ParameterNotFound"):
            module.fail_json(msg=f"image_ssm_parameter {p['image_ssm_parameter']} does not exist")
        if not AMI_ID.match(image_id or ""):
            module.fail_json(msg=f"image_ssm_parameter {p['image_ssm_parameter']} does not hold an AMI ID (it holds {image_id!r})")
    device = p["root_volume"]["device_name"]
    if device:
        return image_id, device
    ec2 = client_factory("ec2")
    try:
        images = ec2.describe_images(ImageIds=[image_id], aws_retry=True)["Images"]
    except is_boto3_error_code(["InvalidAMIID.NotFound", "InvalidAMIID.Malformed", "InvalidAMIID.Unavailable"]):
        images = []
    if not images:
        module.fail_json(msg=f"the AMI {image_id} does not exist or is not available to this account")
    return image_id, images[0].get("RootDeviceName") or "/dev/xvda"


def current_interface(data):
    interfaces = data.get("NetworkInterfaces") or []
    return interfaces[0] if interfaces else {}


def desired_data(params, current, image_id, root_device):
    """The launch template data the options describe; omitted 'keep' options inherit from ``current``."""
    data = {"ImageId": image_id, "InstanceType": params["instance_type"]}

    profile = params["iam_instance_profile"]
    if profile is None:
        if current.get("IamInstanceProfile"):
            data["IamInstanceProfile"] = current["IamInstanceProfile"]
    elif profile:
        data["IamInstanceProfile"] = {"Arn": profile} if profile.startswith("arn:") else {"Name": profile}

    interface = {"DeviceIndex": 0, "AssociatePublicIpAddress": params["associate_public_ip_address"], "DeleteOnTermination": True}
    groups = params["security_group_ids"]
    if groups is None:
        groups = current_interface(current).get("Groups") or current.get("SecurityGroupIds") or []
    if groups:
        interface["Groups"] = list(groups)
    data["NetworkInterfaces"] = [interface]

    meta = params["metadata_options"]
    data["MetadataOptions"] = {
        "HttpTokens": meta["http_tokens"],
        "HttpPutResponseHopLimit": meta["http_put_response_hop_limit"],
        "HttpEndpoint": meta["http_endpoint"],
        "InstanceMetadataTags": meta["instance_metadata_tags"],
    }

    volume = params["root_volume"]
    ebs = {"Encrypted": True, "DeleteOnTermination": volume["delete_on_termination"], "VolumeSize": volume["size"], "VolumeType": volume["type"]}
    if volume["iops"] is not None:
        ebs["Iops"] = volume["iops"]
    if volume["throughput"] is not None:
        ebs["Throughput"] = volume["throughput"]
    key = volume["kms_key_id"]
    if key is None:
        for mapping in current.get("BlockDeviceMappings") or []:
            if mapping.get("DeviceName") == root_device and mapping.get("Ebs", {}).get("KmsKeyId"):
                key = mapping["Ebs"]["KmsKeyId"]
    if key:
        ebs["KmsKeyId"] = key
    data["BlockDeviceMappings"] = [{"DeviceName": root_device, "Ebs": ebs}]

    data["Monitoring"] = {"Enabled": params["detailed_monitoring"]}
    if params["user_data"]:
        data["UserData"] = encode_user_data(params["user_data"])
    if params["launch_tags"]:
        tags = [{"Key": k, "Value": str(v)} for k, v in sorted(params["launch_tags"].items())]
        data["TagSpecifications"] = [{"ResourceType": kind, "Tags": tags} for kind in LAUNCH_TAG_RESOURCE_TYPES]
    return data


def data_view(data):
    """What a reader compares in a diff (user data as text, withheld if a version made elsewhere holds a secret)."""
    if not data:
        return {}
    data = normalized_template_data(data)
    interface = current_interface(data)
    root = (data.get("BlockDeviceMappings") or [{}])[0]
    view = {
        "image_id": data.get("ImageId"),
        "instance_type": data.get("InstanceType"),
        "iam_instance_profile": (data.get("IamInstanceProfile") or {}).get("Arn") or (data.get("IamInstanceProfile") or {}).get("Name"),
        "key_name": data.get("KeyName"),
        "security_group_ids": interface.get("Groups") or data.get("SecurityGroupIds"),
        "associate_public_ip_address": interface.get("AssociatePublicIpAddress"),
        "metadata_options": camel_dict_to_snake_dict(data.get("MetadataOptions") or {}),
        "root_volume": dict(camel_dict_to_snake_dict(root.get("Ebs") or {}), device_name=root.get("DeviceName")) if root else None,
        "detailed_monitoring": (data.get("Monitoring") or {}).get("Enabled"),
        "user_data": shown_user_data(data.get("UserData")) or None,
        "launch_tags": launch_tags_of(data) or None,
    }
    return {k: v for k, v in view.items() if v is not None}


def template_result(template, tags_override=None):
    result = snake_with_tags(template)
    if tags_override is not None:
        result["tags"] = tags_override
    return result


def ensure_present(module, client, client_factory, existing):
    params = module.params
    current_version = describe_version(client, existing["LaunchTemplateId"]) if existing else {}
    current_data = current_version.get("LaunchTemplateData") or {}
    image_id, root_device = resolve_image(module, client_factory)
    wanted = desired_data(params, current_data, image_id, root_device)
    version_created = normalized_template_data(wanted) != normalized_template_data(current_data)
    current_tags = template_tags(client, existing)
    before = {"template": data_view(current_data), "tags": current_tags} if existing else {}

    if existing is None:
        template = {"LaunchTemplateName": params["name"], "DefaultVersionNumber": 1, "LatestVersionNumber": 1, "Tags": []}
        version = {"VersionNumber": 1, "LaunchTemplateData": wanted}
        if not module.check_mode:
            request = {"LaunchTemplateName": params["name"], "LaunchTemplateData": wanted, "ClientToken": idempotency_token()}
            if params["version_description"]:
                request["VersionDescription"] = params["version_description"]
            if params["tags"]:
                request["TagSpecifications"] = boto3_tag_specifications(params["tags"], types="launch-template")
            template = client.create_launch_template(aws_retry=True, **request)["LaunchTemplate"]
            version = describe_version(client, template["LaunchTemplateId"])
        result_tags = params["tags"] or {}
        after = {"template": data_view(version["LaunchTemplateData"]), "tags": result_tags}
        return True, True, template_result(template, result_tags), version, image_id, before, after

    template, version, changed = dict(existing), current_version, False
    template_id = existing["LaunchTemplateId"]
    if version_created:
        changed = True
        number = existing["LatestVersionNumber"] + 1
        version = {"VersionNumber": number, "LaunchTemplateData": wanted}
        if not module.check_mode:
            request = {"LaunchTemplateId": template_id, "LaunchTemplateData": wanted, "ClientToken": idempotency_token()}
            if params["version_description"]:
                request["VersionDescription"] = params["version_description"]
            number = client.create_launch_template_version(aws_retry=True, **request)["LaunchTemplateVersion"]["VersionNumber"]
            client.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion=str(number), ClientToken=idempotency_token(), aws_retry=True)
            version = describe_version(client, template_id, number)
        template.update(DefaultVersionNumber=number, LatestVersionNumber=max(number, existing["LatestVersionNumber"]))

    if ec2_update_tags(client, template_id, current_tags, params["tags"], params["purge_tags"], module.check_mode):
        changed = True
    result_tags = merged_tags(current_tags, params["tags"], params["purge_tags"])
    if changed and not module.check_mode:
        template = find_template(client, params["name"])
    after = {"template": data_view(version.get("LaunchTemplateData")), "tags": result_tags}
    return changed, version_created, template_result(template, result_tags), version, image_id, before, after


def version_result(version):
    if not version:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in version.items() if k != "LaunchTemplateData"})
    result["launch_template_data"] = camel_dict_to_snake_dict(withheld_secrets(version.get("LaunchTemplateData")))
    return result


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        name=dict(type="str", required=True),
        image_id=dict(type="str"),
        image_ssm_parameter=dict(type="str"),
        instance_type=dict(type="str"),
        iam_instance_profile=dict(type="str"),
        security_group_ids=dict(type="list", elements="str"),
        associate_public_ip_address=dict(type="bool", default=False),
        metadata_options=dict(
            type="dict",
            default={},
            options=dict(
                http_tokens=dict(type="str", choices=["required", "optional"], default="required"),
                http_put_response_hop_limit=dict(type="int", default=1),
                http_endpoint=dict(type="str", choices=["enabled", "disabled"], default="enabled"),
                instance_metadata_tags=dict(type="str", choices=["enabled", "disabled"], default="disabled"),
            ),
        ),
        root_volume=dict(
            type="dict",
            default={},
            options=dict(
                device_name=dict(type="str"),
                size=dict(type="int", default=20),
                type=dict(type="str", choices=["gp3", "gp2", "io1", "io2"], default="gp3"),
                iops=dict(type="int"),
                throughput=dict(type="int"),
                kms_key_id=dict(type="str"),
                delete_on_termination=dict(type="bool", default=True),
            ),
        ),
        detailed_monitoring=dict(type="bool", default=False),
        user_data=dict(type="str"),
        launch_tags=dict(type="dict"),
        version_description=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[["image_id", "image_ssm_parameter"]],
    )
    validate(module)

    clients = {}

    def client_factory(service):
        if service not in clients:
            clients[service] = retrying_client(module, service)
        return clients[service]

    client = client_factory("ec2")
    name = module.params["name"]
    try:
        existing = find_template(client, name)
        if module.params["state"] == "absent":
            changed = existing is not None
            if changed and not module.check_mode:
                client.delete_launch_template(LaunchTemplateId=existing["LaunchTemplateId"], aws_retry=True)
            before = {"template": {"launch_template_name": name}} if existing else {}
            module.exit_json(changed=changed, version_created=False, launch_template={}, diff=diff_of(before, {}))
        changed, version_created, template, version, image_id, before, after = ensure_present(module, client, client_factory, existing)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the launch template {name}")

    module.exit_json(
        changed=changed,
        version_created=version_created,
        launch_template=template,
        version=version_result(version),
        image_id=image_id,
        diff=diff_of(before, after),
    )


if __name__ == "__main__":
    main()
