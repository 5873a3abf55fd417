# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate an Amazon CloudWatch agent JSON configuration against the agent's own JSON Schema.

    python3 validate_config.py SCHEMA CONFIG

Exit status 0 when CONFIG is valid; 1 with the first schema error (its JSON
path and message) on standard error when it is not; 2 when it cannot check
(unreadable file, no jsonschema). The cloudwatch_agent role runs this as the
``validate`` command of the task that writes the configuration, so an invalid
configuration never replaces the one in use.

Runs on the managed host with the distribution's python3-jsonschema
(3.2 on Ubuntu 22.04 and later versions elsewhere): Draft 4, as the schema declares.
"""

from __future__ import annotations

import json
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover - reported to the user below
    jsonschema = None


def json_path(path):
    """$.logs.logs_collected.files.collect_list[0].file_path for a jsonschema error path."""
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def schema_errors(schema, document):
    """All schema errors of ``document``, most relevant first, as 'PATH: message' strings."""
    validator = jsonschema.Draft4Validator(schema)
    errors = list(validator.iter_errors(document))
    if not errors:
        return []
    first = jsonschema.exceptions.best_match(errors)
    ordered = [first] + [e for e in sorted(errors, key=lambda e: list(e.absolute_path)) if e is not first]
    return [f"{json_path(e.absolute_path)}: {e.message}" for e in ordered]


def load(path, what):
    with open(path, encoding="utf-8") as handle:
        try:
            return json.load(handle)
        except ValueError as e:
            raise SystemExit(f"{path}: the {what} is not valid JSON: {e}") from e


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: validate_config.py SCHEMA CONFIG\n")
        return 2
    if jsonschema is None:
        sys.stderr.write("cannot validate the CloudWatch agent configuration: the python3 jsonschema module is missing\n")
        return 2
    schema_path, config_path = argv[1], argv[2]
    try:
        schema = load(schema_path, "schema")
        document = load(config_path, "CloudWatch agent configuration")
    except OSError as e:
        sys.stderr.write(f"cannot validate the CloudWatch agent configuration: {e}\n")
        return 2
    except SystemExit as e:
        sys.stderr.write(f"{e}\n")
        return 1
    errors = schema_errors(schema, document)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        sys.stderr.write(f"invalid CloudWatch agent configuration: {errors[0]}{more}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
