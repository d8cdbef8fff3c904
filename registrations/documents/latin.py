"""A name in Latin letters for badges and table cards when no passport name may be used.

Chinese names: Hanyu Pinyin (pypinyin), family name first in capitals as in Chinese passports
("ZHANG Wei"), with the family-name readings of characters that read otherwise (单 Shan, 曾 Zeng).
Korean names: the Revised Romanization of Hangul, syllable by syllable as names are written, with the
family names' customary spellings, also in capitals (김민준 "KIM Minjun", 이 LEE, 박 PARK). A name already in Latin letters is kept.
"""

import re

from pypinyin import Style, lazy_pinyin

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Chinese family names: two characters first, and characters read differently as a family name.
CHINESE_DOUBLE_FAMILY_NAMES = {
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "司徒",
    "东方",
    "皇甫",
    "夏侯",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "令狐",
    "宇文",
    "万俟",
    "澹台",
    "端木",
}
CHINESE_FAMILY_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "乐": "yue",
    "覃": "qin",
    "翟": "zhai",
    "盖": "ge",
    "缪": "miao",
    "召": "shao",
    "种": "chong",
    "长孙": "zhangsun",
    "尉迟": "yuchi",
    "万俟": "moqi",
}

# Korean family names as they are customarily spelled (passports), where that differs from the rule.
KOREAN_FAMILY_NAMES = {
    "김": "Kim",
    "이": "Lee",
    "박": "Park",
    "최": "Choi",
    "정": "Jung",
    "강": "Kang",
    "조": "Cho",
    "윤": "Yoon",
    "장": "Jang",
    "임": "Lim",
    "오": "Oh",
    "신": "Shin",
    "권": "Kwon",
    "안": "Ahn",
    "유": "Yoo",
    "류": "Ryu",
    "전": "Jeon",
    "고": "Ko",
    "문": "Moon",
    "손": "Son",
    "배": "Bae",
    "백": "Baek",
    "허": "Heo",
    "노": "Noh",
    "심": "Shim",
    "곽": "Kwak",
    "성": "Sung",
    "차": "Cha",
    "주": "Joo",
    "우": "Woo",
    "구": "Koo",
    "나": "Na",
    "엄": "Um",
    "채": "Chae",
    "천": "Chun",
    "변": "Byun",
    "현": "Hyun",
    "선우": "Sunwoo",
    "남궁": "Namgung",
    "황보": "Hwangbo",
    "제갈": "Jegal",
    "독고": "Dokgo",
}

# The Revised Romanization of Korean: initial consonants, vowels and final consonants of a syllable.
INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
VOWELS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"]
FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]


def _is_hangul(character: str) -> bool:
    return HANGUL_FIRST <= ord(character) <= HANGUL_LAST


def hangul_syllable(character: str) -> str:
    """One Hangul syllable in the Revised Romanization ("민" -> "min")."""
    index = ord(character) - HANGUL_FIRST
    initial, rest = divmod(index, 21 * 28)
    vowel, final = divmod(rest, 28)
    return INITIALS[initial] + VOWELS[vowel] + FINALS[final]


def _korean(name: str) -> str:
    parts = []
    for word in name.split():
        if not all(_is_hangul(character) for character in word):
            parts.append(word)
            continue
        if parts:  # given names, and anything after the family name
            parts.append("".join(hangul_syllable(c) for c in word).capitalize())
            continue
        family = word[:2] if len(word) >= 4 and word[:2] in KOREAN_FAMILY_NAMES else word[:1]
        spelled = KOREAN_FAMILY_NAMES.get(family) or "".join(hangul_syllable(c) for c in family)
        parts.append(spelled.upper())
        if word[len(family) :]:
            parts.append("".join(hangul_syllable(c) for c in word[len(family) :]).capitalize())
    return " ".join(parts)


def _chinese(name: str) -> str:
    compact = "".join(name.split())
    family = compact[:2] if compact[:2] in CHINESE_DOUBLE_FAMILY_NAMES else compact[:1]
    given = compact[len(family) :]
    family_latin = CHINESE_FAMILY_READINGS.get(family) or "".join(lazy_pinyin(family, style=Style.NORMAL))
    given_latin = "".join(lazy_pinyin(given, style=Style.NORMAL, errors="default"))
    return f"{family_latin.upper()} {given_latin.capitalize()}".strip()


def latin_name(name: str) -> str:
    """``name`` in Latin letters: pinyin for Chinese, Revised Romanization for Korean, else as written."""
    name = " ".join(name.split())
    if any(_is_hangul(character) for character in name):
        return _korean(name)
    if HAN.search(name):
        return _chinese(name)
    return name


def is_latin(name: str) -> bool:
    """True when the name needs no second line in Latin letters (nothing Chinese or Korean in it)."""
    return not (HAN.search(name) or any(_is_hangul(character) for character in name))
