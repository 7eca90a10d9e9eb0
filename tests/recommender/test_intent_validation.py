"""Validation of an LLM's reading of a query: pure logic, the "LLM output" is crafted JSON.

The replies below are what a model might write (two are SmolLM2-135M's real replies); the
contract is that only values the query text, the vocabulary or the merchant can vouch for
survive, and that the rules win where they read something.
"""

from __future__ import annotations

import pytest

from recommender.intent_llm import READING_SCHEMA, LLMReading, build_messages, parse_reading
from recommender.intent_validation import (
    ValidatedReading,
    fill_gaps,
    mentioned_amounts,
    query_words,
    sino_korean,
    validate_reading,
)
from recommender.lexical import LexicalAnalyzer
from recommender.query import parse_query

BRANDS = frozenset({"dewlab", "plainweek"})


@pytest.fixture(scope="module")
def analyzer() -> LexicalAnalyzer:
    return LexicalAnalyzer()


def validated(analyzer: LexicalAnalyzer, text: str, reply: str,
              brands: frozenset[str] = BRANDS) -> ValidatedReading:
    reading = parse_reading(reply)
    assert reading is not None, reply
    return validate_reading(reading, text=text, analyzer=analyzer, brands=brands)


def names(concepts: tuple) -> list[str]:
    return [c.name for c in concepts]


@pytest.mark.parametrize(("text", "amount"), [
    ("수분크림 3만원 이하", 30_000), ("under 20,000 won", 20_000), ("2~5만원 토너", 20_000),
    ("2~5만원 토너", 50_000), ("3만5천원 이하", 35_000), ("100k max", 100_000),
    ("가방 오만원 이하", 50_000), ("만원 이하 양말", 10_000), ("십오만원대 코트", 150_000),
    ("삼천원짜리", 3_000), ("1.5만원", 15_000),
])
def test_mentioned_amounts_reads_digits_units_and_korean_number_words(text: str,
                                                                       amount: int) -> None:
    assert amount in mentioned_amounts(text)


def test_syllables_that_are_not_amounts_are_not_read_as_numbers() -> None:
    assert mentioned_amounts("만족스러운 오일 크림") == set()
    assert sino_korean("오만") == 50_000 and sino_korean("이십") == 20 and sino_korean("가") is None


def test_budget_not_written_in_the_query_is_dropped(analyzer: LexicalAnalyzer) -> None:
    v = validated(analyzer, "black leather bag under 100k",
                  '{"price_min": null, "price_max": 30000}')
    assert v.price_max is None and "price_max:30000" in v.dropped


def test_budget_written_in_korean_number_words_is_kept(analyzer: LexicalAnalyzer) -> None:
    # The rules need digits; "오만원" is exactly the gap the LLM may fill.
    assert parse_query("가방 오만원 이하").price_max is None
    v = validated(analyzer, "가방 오만원 이하", '{"price_max": 50000}')
    assert v.price_max == 50_000 and v.dropped == ()


@pytest.mark.parametrize("reply", [
    '{"price_max": 50}',                         # a product number, not a budget
    '{"price_max": -30000}',                     # negative
    '{"price_min": 50000, "price_max": 30000}',  # inverted
])
def test_impossible_budgets_are_dropped(analyzer: LexicalAnalyzer, reply: str) -> None:
    v = validated(analyzer, "선크림 SPF 50 3만원에서 5만원 -30000", reply)
    assert v.price_min is None and v.price_max is None and v.dropped


def test_brand_is_kept_only_if_the_merchant_sells_it(analyzer: LexicalAnalyzer) -> None:
    assert validated(analyzer, "듀랩 수분크림", '{"brand": "Dewlab"}').brand == "dewlab"
    v = validated(analyzer, "수분크림", '{"brand": "Gucci"}')
    assert v.brand is None and v.dropped == ("brand:Gucci",)
    assert validated(analyzer, "Dewlab cream", '{"brand": "Dewlab"}', frozenset()).brand is None


def test_concepts_map_through_the_vocabulary_in_both_languages(analyzer: LexicalAnalyzer) -> None:
    v = validated(analyzer, "검정 가방, 지성 여드름", '{"colors": ["검정", "black", "purple-ish"], '
                  '"skin_types": ["Oily skin", "지성"], "concerns": ["acne", "moonlight"], '
                  '"category": "bag"}')
    assert names(v.concepts) == ["black", "oily", "acne", "bag"]
    assert set(v.dropped) == {"colors:purple-ish", "concerns:moonlight"}


def test_a_real_concept_the_shopper_did_not_write_is_dropped(analyzer: LexicalAnalyzer) -> None:
    # SmolLM2-135M's reply to "가방 추천해줘": its few-shot example's values, copied.
    reply = ('{ "price_min":null, "price_max":30000,"in_stock":true, "category":"toner",'
             '"brand":"Frozen Brands", "colors":[],"skin_types":["oily"],'
             '"concerns":["redness"], "exclude":["fragrance"]}')
    v = validated(analyzer, "가방 추천해줘", reply)
    assert v == ValidatedReading(dropped=v.dropped)  # nothing survives
    assert {"skin_types:oily", "concerns:redness", "category:toner"} <= set(v.dropped)


def test_a_concept_is_written_when_a_form_is_inside_a_korean_word(
        analyzer: LexicalAnalyzer) -> None:
    # In these, the tokenizer keeps "까만색"/"하얀색" whole, so the rules miss the colour;
    # "까만"/"하얀" are its forms, and that is the gap the LLM fills.
    for text, colour in (("가방 까만색", "black"), ("하얀색 운동화", "white")):
        rules_read = analyzer.vocabulary.concepts_in(analyzer.terms(text))
        assert colour not in names(tuple(rules_read))
        assert names(validated(analyzer, text, f'{{"colors": ["{colour}"]}}').concepts) == [colour]
    # English forms count as whole words only: "red" is not in "tired".
    assert validated(analyzer, "tired eyes", '{"colors": ["red"]}').concepts == ()


def test_a_value_of_the_wrong_kind_is_dropped(analyzer: LexicalAnalyzer) -> None:
    # "gold" is a colour in the vocabulary, not a skin concern.
    v = validated(analyzer, "크림", '{"concerns": ["gold"], "skin_types": ["redness"]}')
    assert v.concepts == () and set(v.dropped) == {"concerns:gold", "skin_types:redness"}


def test_in_stock_needs_stock_words_in_the_query(analyzer: LexicalAnalyzer) -> None:
    assert validated(analyzer, "black tee", '{"in_stock": true}').in_stock is None
    assert validated(analyzer, "지금 바로 살 수 있는 티셔츠", '{"in_stock": true}').in_stock is True
    # "only sold-out ones" is never a filter the LLM may set.
    assert validated(analyzer, "품절 상품", '{"in_stock": false}').in_stock is None


def test_exclusion_needs_a_negation_and_becomes_the_free_attribute(
        analyzer: LexicalAnalyzer) -> None:
    v = validated(analyzer, "toner without fragrance, not black",
                  '{"exclude": ["fragrance", "black"]}')
    assert names(v.concepts) == ["fragrance_free"] and names(v.exclude) == ["black"]
    assert names(validated(analyzer, "향이 없는 토너", '{"exclude": ["향"]}').concepts) == [
        "fragrance_free"]
    no_negation = validated(analyzer, "calming toner", '{"exclude": ["fragrance"]}')
    assert no_negation.concepts == () and no_negation.dropped == ("exclude:fragrance",)
    not_written = validated(analyzer, "not a bag", '{"exclude": ["fragrance"]}')
    assert not_written.concepts == () and not_written.dropped == ("exclude:fragrance",)


def test_an_excluded_concept_is_never_also_wanted(analyzer: LexicalAnalyzer) -> None:
    v = validated(analyzer, "가방 블랙 말고", '{"colors": ["black"], "exclude": ["black"]}')
    assert v.concepts == () and names(v.exclude) == ["black"]


def test_smollm2s_real_reply_loses_everything_it_made_up(analyzer: LexicalAnalyzer) -> None:
    # SmolLM2-135M's reply to this query, copying its few-shot example and inventing the rest.
    reply = ('{ "price_min":null, "price_max":30000,"in_stock":true, "category":"toner",'
             '"brand":"Marauder\'s Revenge", "colors":[],"skin_types":["red"],'
             '"concerns":["abundant in gold and" ,"golden with a little" ,"lace of the moon"],'
             ' "exclude":[]}')
    text = "black leather bag under 100k in stock"
    v = validated(analyzer, text, reply)
    assert v.price_max is None and v.brand is None and v.concepts == ()
    assert v.in_stock is True  # the query does say "in stock"
    assert "category:toner" in v.dropped  # a real concept, but not one the shopper wrote
    rules = parse_query(text)
    merged = fill_gaps(rules, analyzer.vocabulary.concepts_in(analyzer.terms(rules.search_text)), v)
    assert merged.price_max == 100_000 and merged.source["price_max"] == "rules"
    assert merged.in_stock is True and merged.source["in_stock"] == "rules"


@pytest.mark.parametrize("reply", [
    "not json", '{"price_max": "3만원"}', '{"price_max": 30000, "discount": true}',
    '[{"price_max": 30000}]', '{"price_max": 30000, "colors": ["bla', "",
    '{"colors": "black"}',
])
def test_a_reply_that_is_not_the_schema_is_no_reading(reply: str) -> None:
    assert parse_reading(reply) is None


def test_omitted_fields_default_so_plain_json_mode_servers_work() -> None:
    assert parse_reading('{"price_max": 30000}') == LLMReading(price_max=30000)


def test_rules_win_and_the_llm_fills_only_the_gaps(analyzer: LexicalAnalyzer) -> None:
    vocab = analyzer.vocabulary
    rules = parse_query("블랙 니트 2만원 이상 5만원 재고")
    assert (rules.price_min, rules.price_max, rules.in_stock) == (20_000, None, None)
    rule_concepts = vocab.concepts_in(analyzer.terms(rules.search_text))
    v = ValidatedReading(price_max=50_000, in_stock=True, brand="plainweek",
                         concepts=(vocab.concepts["navy"], vocab.concepts["acne"]))
    merged = fill_gaps(rules, rule_concepts, v)
    # A budget is one field: the rules' minimum is not mixed with the LLM's maximum.
    assert (merged.price_min, merged.price_max) == (20_000, None)
    assert merged.source["price_min"] == "rules" and "price_max" not in merged.source
    assert merged.in_stock is True and merged.source["in_stock"] == "llm"
    # The rules read a colour (black), so the LLM's navy is not added; its concern is.
    assert names(merged.added) == ["acne"]
    assert merged.source["color"] == "rules" and merged.source["concern"] == "llm"
    assert merged.brand == "plainweek" and merged.source["brand"] == "llm"


def test_without_an_llm_reading_the_rules_stand_alone() -> None:
    merged = fill_gaps(parse_query("수분크림 3만원 이하 재고 있는"), [], None)
    assert (merged.price_max, merged.in_stock) == (30_000, True)
    assert merged.source == {"price_max": "rules", "in_stock": "rules"} and merged.added == ()


def test_added_concepts_read_back_as_the_same_concept(analyzer: LexicalAnalyzer) -> None:
    vocab = analyzer.vocabulary
    concepts = [vocab.concepts[n] for n in ("black", "fragrance_free", "oily", "acne")]
    for language in ("ko", "en"):
        words = query_words(concepts, analyzer, language)
        found = vocab.concepts_in(analyzer.terms(" ".join(words)))
        assert set(concepts) <= set(found), (language, words)


def test_the_prompt_is_few_shot_and_the_schema_names_every_field() -> None:
    messages = build_messages("검정 가방")
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user",
                                             "assistant", "user"]
    assert set(READING_SCHEMA["required"]) == set(LLMReading.model_fields)
    # Each few-shot answer is itself a valid reading.
    assert all(parse_reading(str(m["content"])) for m in messages if m["role"] == "assistant")
