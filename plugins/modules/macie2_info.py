#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: macie2_info
short_description: Whether Amazon Macie is enabled for the account in a region
version_added: 0.1.0
description:
  - Reads the account's Amazon Macie session (C(GetMacieSession)).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.macie2
"""

EXAMPLES = r"""
- name: Is Macie running?
  healthplatform.aws.macie2_info:
  register: macie
"""

RETURN = r"""
enabled:
  description: Whether Macie is enabled (running or paused).
  returned: always
  type: bool
  sample: true
session:
  description: The session as C(GetMacieSession) describes it; empty when Macie is not enabled.
  returned: always
  type: dict
  sample: {"status": "ENABLED", "finding_publishing_frequency": "ONE_HOUR"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.macie import read_session


def main():
    module = AnsibleAWSModule(argument_spec={}, supports_check_mode=True)
    try:
        session = read_session(retrying_client(module, "macie2"))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read the Amazon Macie session")
    module.exit_json(changed=False, enabled=session is not None, session=camel_dict_to_snake_dict(session or {}))


if __name__ == "__main__":
    main()
