# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Static checks of IAM policy documents: administrative wildcards and privilege escalation.

Used by the ``iam_policy_errors`` filter (roles validate policy input before any change) and by
the unit test that checks every policy document the collection ships. The escalation sets follow
the published research the trusted tools use (Rhino Security Labs' 21 methods, Prowler's
``iam_policy_allows_privilege_escalation``): each set of actions below lets a principal that is
allowed all of them on any resource give itself more permissions.
"""

from __future__ import annotations

import fnmatch
import json

# Each entry: the actions that together allow privilege escalation when allowed on every resource.
PRIVILEGE_ESCALATION_SETS = (
    ("iam:CreatePolicyVersion",),
    ("iam:SetDefaultPolicyVersion",),
    ("iam:CreateAccessKey",),
    ("iam:CreateLoginProfile",),
    ("iam:UpdateLoginProfile",),
    ("iam:AttachUserPolicy",),
    ("iam:AttachGroupPolicy",),
    ("iam:AttachRolePolicy",),
    ("iam:PutUserPolicy",),
    ("iam:PutGroupPolicy",),
    ("iam:PutRolePolicy",),
    ("iam:AddUserToGroup",),
    ("iam:UpdateAssumeRolePolicy", "sts:AssumeRole"),
    ("iam:PutUserPermissionsBoundary",),
    ("iam:PutRolePermissionsBoundary",),
    ("iam:DeleteUserPermissionsBoundary",),
    ("iam:DeleteRolePermissionsBoundary",),
    ("iam:PassRole", "ec2:RunInstances"),
    ("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"),
    ("iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"),
    ("lambda:UpdateFunctionCode",),
    ("iam:PassRole", "glue:CreateDevEndpoint"),
    ("glue:UpdateDevEndpoint",),
    ("iam:PassRole", "cloudformation:CreateStack"),
    ("iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"),
    ("iam:PassRole", "codestar:CreateProject"),
    ("iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"),
    ("iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"),
    ("iam:PassRole", "autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup"),
    ("iam:PassRole", "ec2:CreateLaunchTemplate", "autoscaling:CreateAutoScalingGroup"),
    ("ssm:SendCommand",),
    ("ssm:StartSession",),
    ("ec2-instance-connect:SendSSHPublicKey",),
)

# Resources that mean "everything" for these checks.
_EVERY_RESOURCE = ("*", "arn:aws:*:*:*:*", "arn:*:*:*:*:*", "arn:aws:iam::*:*")


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _statements(document):
    if isinstance(document, str):
        document = json.loads(document)
    if not isinstance(document, dict):
        raise ValueError("a policy document must be a JSON object")
    statements = document.get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def _allows(pattern, action):
    """Whether an action pattern of a policy (with * and ? wildcards) covers ``action``; case-insensitive like IAM."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def _covers_every_resource(statement):
    if "NotResource" in statement:
        return True
    return any(r in _EVERY_RESOURCE for r in _as_list(statement.get("Resource")))


def policy_errors(document, where="policy"):
    """Problems of one IAM policy document (identity or resource policy); [] when none.

    ``where`` names the document (the variable it came from) in every message.
    """
    try:
        statements = _statements(document)
    except (ValueError, TypeError) as e:
        return [f"{where}: not a policy document ({e})"]
    errors = []
    everywhere = []  # action patterns allowed on every resource, across the whole document
    for index, statement in enumerate(statements):
        label = f"{where} statement {statement.get('Sid') or index}"
        if not isinstance(statement, dict):
            errors.append(f"{label}: a statement must be a mapping")
            continue
        if statement.get("Effect") != "Allow":
            continue
        if "NotAction" in statement:
            errors.append(f"{label}: Allow with NotAction grants every action but the listed ones; list the allowed actions instead")
            continue
        actions = _as_list(statement.get("Action"))
        if not actions:
            errors.append(f"{label}: an Allow statement without Action")
        every_resource = _covers_every_resource(statement)
        if every_resource and any(a.strip() in ("*", "*:*") for a in actions):
            errors.append(f'{label}: allows "Action": "*" on "Resource": "*" (full administrator)')
        elif any(a.strip() in ("*", "*:*") for a in actions):
            errors.append(f'{label}: allows "Action": "*"; name the actions')
        if every_resource:
            everywhere.extend(actions)
    for escalation in PRIVILEGE_ESCALATION_SETS:
        if all(any(_allows(pattern, action) for pattern in everywhere) for action in escalation):
            errors.append(f"{where}: allows {' + '.join(escalation)} on every resource (privilege escalation)")
    return errors
