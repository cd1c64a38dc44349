"""SMS gateways from the environment: a JSON list, or one gateway's variables; fail fast."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from service.bootstrap import build_sms
from service.channels.sms import HttpSmsGateway
from service.settings import Settings


def _settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(f"TALAP_{name.upper()}", value)
    return Settings(data_dir=tmp_path)


def test_a_json_list_and_the_single_gateway_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gateways = [
        {
            "name": "kcell",
            "url": "https://sms.example.kz/send",
            "callback_secret": "k" * 16,
            "token": "t",
        },
    ]
    settings = _settings(
        tmp_path,
        monkeypatch,
        sms_gateways=json.dumps(gateways),
        sms_gateway_url="https://backup.example.kz/api",
        sms_gateway_name="backup",
        sms_gateway_user="osi",
        sms_gateway_password="pw",
        sms_gateway_callback_secret="b" * 20,
    )
    channel = build_sms(settings)
    assert channel.default == "kcell"
    assert set(channel.gateways) == {"kcell", "backup"}
    assert isinstance(channel.gateway(), HttpSmsGateway)
    assert channel.secrets["backup"] == ("b" * 20,)
    assert "b" * 20 not in repr(settings)  # secrets stay hidden


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"sms_gateway_url": "https://x.kz/send"}, "TALAP_SMS_GATEWAY_CALLBACK_SECRET"),
        (
            {"sms_gateway_url": "https://x.kz/send", "sms_gateway_callback_secret": "short"},
            "TALAP_SMS_GATEWAY_*",
        ),
        (
            {
                "sms_gateways": json.dumps(
                    [{"name": "a", "url": "https://a.kz", "callback_secret": "a" * 16}] * 2
                )
            },
            "used twice",
        ),
    ],
)
def test_an_incomplete_gateway_is_refused_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], named: str
) -> None:
    with pytest.raises(ValidationError, match=named.replace("*", r"\*")):
        _settings(tmp_path, monkeypatch, **env)


def test_no_gateway_configured_means_no_sms() -> None:
    channel = build_sms(Settings())
    assert channel.gateway() is None and channel.secrets == {}
