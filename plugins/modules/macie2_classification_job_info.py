#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: macie2_classification_job_info
short_description: Describe Amazon Macie classification jobs by name
version_added: 0.1.0
description:
  - Describes the live (not cancelled or complete) Amazon Macie classification job of each name in O(names).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Names of the jobs (names without a live job are left out).
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.macie2_classification_job
"""

EXAMPLES = r"""
- name: The records discovery job
  healthplatform.aws.macie2_classification_job_info:
    names: [healthplatform-prod-records-discovery]
  register: jobs
"""

RETURN = r"""
jobs:
  description: The jobs as C(DescribeClassificationJob) describes them.
  returned: always
  type: list
  elements: dict
  sample:
    - job_id: 3ce05dbb7ec5505def334104bf113c2f
      name: healthplatform-prod-records-discovery
      job_status: RUNNING
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.macie import find_job
from ansible_collections.healthplatform.aws.plugins.module_utils.macie import snake_job


def main():
    module = AnsibleAWSModule(argument_spec=dict(names=dict(type="list", elements="str", required=True)), supports_check_mode=True)
    client = retrying_client(module, "macie2")
    try:
        jobs = [find_job(client, name)[1] for name in module.params["names"]]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the Macie classification jobs")
    module.exit_json(changed=False, jobs=[snake_job(j) for j in jobs if j])


if __name__ == "__main__":
    main()
