# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by config_recorder and config_recorder_info: reading the AWS Config
recorder, its recording status and the delivery channel of a region."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code


def read_recorder(client, name):
    """The named configuration recorder, or None."""
    try:
        recorders = client.describe_configuration_recorders(ConfigurationRecorderNames=[name], aws_retry=True).get("ConfigurationRecorders") or []
    except is_boto3_error_code("NoSuchConfigurationRecorderException"):
        return None
    return recorders[0] if recorders else None


def read_recording(client, name):
    """Whether the named recorder is recording (False when it does not exist)."""
    try:
        statuses = client.describe_configuration_recorder_status(ConfigurationRecorderNames=[name], aws_retry=True).get("ConfigurationRecordersStatus") or []
    except is_boto3_error_code("NoSuchConfigurationRecorderException"):
        return False
    return bool(statuses and statuses[0].get("recording"))


def read_delivery_channel(client, name=None):
    """The named delivery channel, or the region's only channel when ``name`` is None; None when there is none."""
    request = {"DeliveryChannelNames": [name]} if name else {}
    try:
        channels = client.describe_delivery_channels(aws_retry=True, **request).get("DeliveryChannels") or []
    except is_boto3_error_code("NoSuchDeliveryChannelException"):
        return None
    return channels[0] if channels else None
