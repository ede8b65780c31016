/*
 * ims_cjk_bigrams: ims.cjk_bigram_vector (sql/04, sql/14) in C.
 *
 * The search document indexes Korean and Japanese text as overlapping character bigrams with
 * positions. Built in SQL that is one row per bigram (regexp_matches, unnest, a window for the
 * position, string_agg into a tsvector literal): ~80 % of the cost of a ~2 KB mixed-language
 * document. This function returns the same tsvector from one pass over the text:
 *
 *   - a run is a maximal sequence of characters of ims.cjk_run_pattern() (the ranges in is_cjk);
 *   - a run of one character is its own gram, a longer run gives each character with the next;
 *   - the k-th gram of the text, in run r, has position k + r (a gap of one between runs keeps
 *     phrases inside a run), capped at 16383 as tsvector positions are.
 *
 * The grams go to make_tsvector, as to_tsvector's words do. It keeps at most 255 positions of a
 * lexeme where the SQL definition's literal keeps 256 (tsvector's input function): when a lexeme
 * reaches 255, the vector is built again from the literal the SQL definition writes, read by that
 * input function, so the result is the SQL definition's in every case.
 *
 * ims_cjk_runs_to_spaces gives the English parser its text (CJK runs blanked) without the regular
 * expression of the SQL definition, the other half of what the native path saves.
 *
 * Optional: sql/18 uses it when the extension is installed and keeps the SQL definition otherwise.
 * tests/ImsCrawler.Database.Tests (Search/NativeBigramTests) compare the two.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "tsearch/ts_type.h"
#include "tsearch/ts_utils.h"
#include "utils/fmgrprotos.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(ims_cjk_bigram_vector);
PG_FUNCTION_INFO_V1(ims_cjk_runs_to_spaces);

/* Hangul jamo and syllables, hiragana, katakana (incl. half-width), CJK ideographs, 々: sql/04's pattern. */
static inline bool
is_cjk(pg_wchar c)
{
	return (c >= 0x1100 && c <= 0x11FF) || c == 0x3005 || (c >= 0x3040 && c <= 0x30FF) ||
		(c >= 0x3130 && c <= 0x318F) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
		(c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF66 && c <= 0xFF9F);
}

typedef struct Grams
{
	ParsedText	words;			/* for make_tsvector */
	StringInfoData literal;		/* 'gram':position ..., as the SQL definition writes it */
	bool		as_literal;
} Grams;

static void
add_gram(Grams *grams, const char *start, int length, int64 position)
{
	int			capped = (int) Min(position, MAXENTRYPOS - 1);

	if (grams->as_literal)
	{
		if (grams->literal.len > 0)
			appendStringInfoChar(&grams->literal, ' ');
		appendStringInfoChar(&grams->literal, '\'');
		appendBinaryStringInfo(&grams->literal, start, length);
		appendStringInfo(&grams->literal, "':%d", capped);
	}
	else
	{
		ParsedText *words = &grams->words;
		ParsedWord *word;

		if (words->curwords >= words->lenwords)
		{
			words->lenwords *= 2;
			words->words = (ParsedWord *) repalloc(words->words, sizeof(ParsedWord) * words->lenwords);
		}
		word = &words->words[words->curwords++];
		word->len = length;
		word->nvariant = 0;
		word->flags = 0;
		word->alen = 0;
		word->word = palloc(length);
		memcpy(word->word, start, length);
		word->pos.pos = capped;
	}
}

static void
require_utf8(void)
{
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("ims_cjk_bigrams needs a UTF8 database")));
}

/* One pass over the text: the grams of every CJK run with their positions. */
static void
collect_grams(Grams *grams, const char *p, const char *end)
{
	int64		count = 0;
	int64		runs = 0;
	int64		run_length = 0;
	const char *previous = NULL;
	int			previous_length = 0;

	while (p < end)
	{
		int			length = pg_utf_mblen((const unsigned char *) p);

		if (is_cjk(utf8_to_unicode((const unsigned char *) p)))
		{
			if (run_length == 0)
				runs++;
			else
				add_gram(grams, previous, previous_length + length, ++count + runs);
			previous = p;
			previous_length = length;
			run_length++;
		}
		else
		{
			if (run_length == 1)
				add_gram(grams, previous, previous_length, ++count + runs);
			run_length = 0;
		}
		p += length;
	}
	if (run_length == 1)
		add_gram(grams, previous, previous_length, ++count + runs);
}

/* True when make_tsvector may have dropped positions the input function keeps (see the top). */
static bool
has_full_position_list(TSVector vector)
{
	WordEntry  *entry = ARRPTR(vector);

	for (int i = 0; i < vector->size; i++)
		if (POSDATALEN(vector, &entry[i]) >= MAXNUMPOS - 1)
			return true;
	return false;
}

Datum
ims_cjk_bigram_vector(PG_FUNCTION_ARGS)
{
	text	   *input = PG_GETARG_TEXT_PP(0);
	const char *start = VARDATA_ANY(input);
	const char *end = start + VARSIZE_ANY_EXHDR(input);
	Grams		grams;
	TSVector	vector;

	require_utf8();
	grams.as_literal = false;
	grams.words.lenwords = 64;
	grams.words.curwords = 0;
	grams.words.pos = 0;
	grams.words.words = (ParsedWord *) palloc(sizeof(ParsedWord) * grams.words.lenwords);
	collect_grams(&grams, start, end);

	if (grams.words.curwords == 0)
		vector = DatumGetTSVector(DirectFunctionCall1(tsvectorin, CStringGetDatum("")));
	else
	{
		vector = make_tsvector(&grams.words);
		if (has_full_position_list(vector))
		{
			grams.as_literal = true;
			initStringInfo(&grams.literal);
			collect_grams(&grams, start, end);
			vector = DatumGetTSVector(DirectFunctionCall1(tsvectorin, CStringGetDatum(grams.literal.data)));
		}
	}
	PG_FREE_IF_COPY(input, 0);
	PG_RETURN_TSVECTOR(vector);
}

/*
 * The text the English parser reads: every CJK run replaced by one space, as sql/04's
 * regexp_replace(text, ims.cjk_run_pattern(), ' ', 'g') does, without a regular expression.
 */
Datum
ims_cjk_runs_to_spaces(PG_FUNCTION_ARGS)
{
	text	   *input = PG_GETARG_TEXT_PP(0);
	const char *p = VARDATA_ANY(input);
	const char *end = p + VARSIZE_ANY_EXHDR(input);
	text	   *result = (text *) palloc(VARHDRSZ + (end - p));
	char	   *out = VARDATA(result);
	bool		in_run = false;

	require_utf8();
	while (p < end)
	{
		int			length = pg_utf_mblen((const unsigned char *) p);

		if (is_cjk(utf8_to_unicode((const unsigned char *) p)))
		{
			if (!in_run)
				*out++ = ' ';
			in_run = true;
		}
		else
		{
			memcpy(out, p, length);
			out += length;
			in_run = false;
		}
		p += length;
	}
	SET_VARSIZE(result, VARHDRSZ + (out - VARDATA(result)));
	PG_FREE_IF_COPY(input, 0);
	PG_RETURN_TEXT_P(result);
}
