# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by lambda_function and lambda_function_info.

- deployment_package(): a zip of the function's source files that is the same, byte for byte,
  every time it is built from the same files (fixed timestamps, order and permissions, no
  compression), so its SHA-256 is what Lambda reports as CodeSha256 and an unchanged function
  is never uploaded again.
- code_sha256(): the digest Lambda reports for a package (base64 of the SHA-256).
- read_function(): GetFunction, or None when the function does not exist.
- snake_function(): a function's configuration as the modules return it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.common.text.converters import to_bytes
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

# The DOS epoch: the earliest time a zip entry can carry.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def deployment_package(files):
    """The zip (bytes) of ``files``, a mapping of path in the package to file content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as package:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            info.create_system = 3  # unix, so the permissions above are read as such
            package.writestr(info, to_bytes(files[path]))
    return buffer.getvalue()


def code_sha256(package):
    return base64.b64encode(hashlib.sha256(package).digest()).decode("ascii")


def read_function(client, name):
    try:
        response = client.get_function(FunctionName=name, aws_retry=True)
    except is_boto3_error_code("ResourceNotFoundException"):
        return None
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def snake_function(function):
    """A function (GetFunction's Configuration, with Tags) in snake_case; environment variable names are kept as they are."""
    if not function:
        return {}
    configuration = dict(function.get("Configuration") or function)
    variables = (configuration.pop("Environment", None) or {}).get("Variables")
    configuration.pop("Tags", None)
    result = camel_dict_to_snake_dict(configuration)
    result["environment"] = dict(variables or {})
    result["tags"] = dict(function.get("Tags") or {})
    return result
