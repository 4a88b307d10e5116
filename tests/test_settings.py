import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_environment_variable_the_settings_read_is_documented():
    settings_text = (REPO / "newsroom" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\("([A-Z_]+)"', settings_text))
    documented = set(re.findall(r"^# ?([A-Z_]+)=", (REPO / ".env.example").read_text(encoding="utf-8"), re.M))
    assert read, "the pattern found no variables: the test would prove nothing"
    assert read - documented == set()
