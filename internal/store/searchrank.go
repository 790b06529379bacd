package store

/*
// signpost_rank is FTS5's bm25 (ext/fts5/fts5_aux.c, the same formula, k1 1.2, b 0.75)
// with one change: how many documents hold each phrase of the query is passed in, from the
// search lexicon, instead of counted. bm25 counts them by reading the whole list of every
// phrase once per statement; for a word in a third of 100,000 documents, and a query that
// lists a word, its forms and its synonyms, that was most of the search's time.
//
//   signpost_rank(search_fts, hits, w0, w1, ...)
//
// hits is a text of numbers, one per phrase of the MATCH expression in order: documents
// holding it, or -1 to count it as bm25 does. Phrases past the end of the list get no
// weight: they are the filters on the tags column, whose weight is 0, so whatever their
// weight, they add nothing. w0… are the column weights, as bm25's arguments.
//
// It is registered on every connection by sqlite3_auto_extension; the SQLite it calls is
// the one github.com/mattn/go-sqlite3 builds in. Only the parts of sqlite3.h and fts5.h it
// uses are declared here (they are public domain).

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef long long sqlite3_int64;
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef struct sqlite3_context sqlite3_context;
typedef struct sqlite3_value sqlite3_value;

extern int sqlite3_prepare_v2(sqlite3*, const char*, int, sqlite3_stmt**, const char**);
extern int sqlite3_bind_pointer(sqlite3_stmt*, int, void*, const char*, void(*)(void*));
extern int sqlite3_step(sqlite3_stmt*);
extern int sqlite3_finalize(sqlite3_stmt*);
extern int sqlite3_auto_extension(void(*)(void));
extern const unsigned char *sqlite3_value_text(sqlite3_value*);
extern double sqlite3_value_double(sqlite3_value*);
extern void sqlite3_result_double(sqlite3_context*, double);
extern void sqlite3_result_error_code(sqlite3_context*, int);
extern void *sqlite3_malloc64(unsigned long long);
extern void sqlite3_free(void*);

typedef struct Fts5Context Fts5Context;
typedef struct Fts5PhraseIter { const unsigned char *a; const unsigned char *b; } Fts5PhraseIter;
typedef struct Fts5ExtensionApi Fts5ExtensionApi;
typedef void (*fts5_extension_function)(const Fts5ExtensionApi*, Fts5Context*, sqlite3_context*, int, sqlite3_value**);

// The start of fts5.h's Fts5ExtensionApi, as far as the members used.
struct Fts5ExtensionApi {
	int iVersion;
	void *(*xUserData)(Fts5Context*);
	int (*xColumnCount)(Fts5Context*);
	int (*xRowCount)(Fts5Context*, sqlite3_int64*);
	int (*xColumnTotalSize)(Fts5Context*, int, sqlite3_int64*);
	int (*xTokenize)(Fts5Context*, const char*, int, void*, int (*)(void*, int, const char*, int, int, int));
	int (*xPhraseCount)(Fts5Context*);
	int (*xPhraseSize)(Fts5Context*, int);
	int (*xInstCount)(Fts5Context*, int*);
	int (*xInst)(Fts5Context*, int, int*, int*, int*);
	sqlite3_int64 (*xRowid)(Fts5Context*);
	int (*xColumnText)(Fts5Context*, int, const char**, int*);
	int (*xColumnSize)(Fts5Context*, int, int*);
	int (*xQueryPhrase)(Fts5Context*, int, void*, int (*)(const Fts5ExtensionApi*, Fts5Context*, void*));
	int (*xSetAuxdata)(Fts5Context*, void*, void (*)(void*));
	void *(*xGetAuxdata)(Fts5Context*, int);
};

// The start of fts5.h's fts5_api.
typedef struct fts5_api fts5_api;
struct fts5_api {
	int iVersion;
	int (*xCreateTokenizer)(fts5_api*, const char*, void*, void*, void (*)(void*));
	int (*xFindTokenizer)(fts5_api*, const char*, void**, void*);
	int (*xCreateFunction)(fts5_api*, const char*, void*, fts5_extension_function, void (*)(void*));
};

typedef struct {
	int nPhrase;
	double avgdl;
	double *aIDF;
	double *aFreq;
} rankData;

static int countRow(const Fts5ExtensionApi *api, Fts5Context *fts, void *user) {
	(void)api;
	(void)fts;
	(*(sqlite3_int64*)user)++;
	return 0;
}

static int rankSetup(const Fts5ExtensionApi *api, Fts5Context *fts, const char *hits, rankData **out) {
	int nPhrase = api->xPhraseCount(fts);
	rankData *p = sqlite3_malloc64(sizeof(rankData) + (unsigned long long)nPhrase * 2 * sizeof(double));
	if (!p) {
		return 7; // SQLITE_NOMEM
	}
	memset(p, 0, sizeof(rankData) + (size_t)nPhrase * 2 * sizeof(double));
	p->nPhrase = nPhrase;
	p->aIDF = (double*)&p[1];
	p->aFreq = &p->aIDF[nPhrase];
	sqlite3_int64 nRow = 0, nToken = 0;
	int rc = api->xRowCount(fts, &nRow);
	if (rc == 0) {
		rc = api->xColumnTotalSize(fts, -1, &nToken);
	}
	if (rc == 0) {
		p->avgdl = nRow > 0 ? (double)nToken / (double)nRow : 1.0;
	}
	const char *s = hits ? hits : "";
	for (int i = 0; rc == 0 && i < nPhrase; i++) {
		char *end = NULL;
		long long nHit = strtoll(s, &end, 10);
		if (end == s) {
			p->aIDF[i] = 0.0; // a filter on the tags: weight 0
			continue;
		}
		s = end;
		if (nHit < 0) {
			sqlite3_int64 n = 0;
			rc = api->xQueryPhrase(fts, i, &n, countRow);
			nHit = n;
		}
		double idf = log(((double)nRow - (double)nHit + 0.5) / ((double)nHit + 0.5));
		p->aIDF[i] = idf <= 0.0 ? 1e-6 : idf;
	}
	if (rc == 0) {
		rc = api->xSetAuxdata(fts, p, sqlite3_free);
	}
	if (rc != 0) {
		sqlite3_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void signpostRank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nVal, sqlite3_value **apVal) {
	const double k1 = 1.2, b = 0.75;
	rankData *p = api->xGetAuxdata(fts, 0);
	int rc = 0;
	if (!p) {
		rc = rankSetup(api, fts, nVal > 0 ? (const char*)sqlite3_value_text(apVal[0]) : NULL, &p);
	}
	if (rc == 0) {
		memset(p->aFreq, 0, sizeof(double) * (size_t)p->nPhrase);
	}
	int nInst = 0;
	if (rc == 0) {
		rc = api->xInstCount(fts, &nInst);
	}
	for (int i = 0; rc == 0 && i < nInst; i++) {
		int ip = 0, ic = 0, io = 0;
		rc = api->xInst(fts, i, &ip, &ic, &io);
		if (rc == 0 && ip >= 0 && ip < p->nPhrase) {
			p->aFreq[ip] += (nVal > ic + 1) ? sqlite3_value_double(apVal[ic + 1]) : 1.0;
		}
	}
	int nTok = 0;
	if (rc == 0) {
		rc = api->xColumnSize(fts, -1, &nTok);
	}
	if (rc != 0) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = 0.0, D = (double)nTok;
	for (int i = 0; i < p->nPhrase; i++) {
		score += p->aIDF[i] * ((p->aFreq[i] * (k1 + 1.0)) / (p->aFreq[i] + k1 * (1 - b + b * D / p->avgdl)));
	}
	sqlite3_result_double(ctx, -1.0 * score);
}

static int signpostRankInit(sqlite3 *db, char **pzErr, const void *routines) {
	(void)pzErr;
	(void)routines;
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == 0) {
		sqlite3_bind_pointer(st, 1, (void*)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (api && api->iVersion >= 2) {
		api->xCreateFunction(api, "signpost_rank", NULL, signpostRank, NULL);
	}
	return 0;
}

static int registerSignpostRank(void) {
	return sqlite3_auto_extension((void(*)(void))signpostRankInit);
}

#cgo LDFLAGS: -lm
*/
import "C"

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

func init() {
	if rc := C.registerSignpostRank(); rc != 0 {
		panic(fmt.Sprintf("store: registering signpost_rank: SQLite error %d", rc))
	}
}

// rankWeights are search_fts's column weights (name, summary, body, tags, extra), as in
// its rank setting (migrations/00120): the arguments signpost_rank is called with after
// the phrase counts.
const rankWeights = `10.0, 4.0, 1.0, 0.0, 2.0`

// rankFunc is the rank of a search's match: signpost_rank with the phrase counts (the
// first "?", phraseHits) and the column weights.
const rankFunc = `signpost_rank(search_fts, ?, ` + rankWeights + `)`

// phraseHits returns signpost_rank's phrase counts for expr, an FTS5 expression as
// planSearch writes it (quoted words, "*" for a prefix, parentheses, AND, OR): for each
// quoted phrase in order, how many documents hold it, from the lexicon when the phrase is
// one word the lexicon counted, else -1 (a prefix, several words, a word written since the
// lexicon was built, or one that could be a tag: FTS5 counts those).
func (lex *lexicon) phraseHits(expr string) string {
	var b strings.Builder
	for i := 0; i < len(expr); i++ {
		if expr[i] != '"' {
			continue
		}
		// A quoted phrase; "" inside is a quote.
		var w strings.Builder
		j := i + 1
		for ; j < len(expr); j++ {
			if expr[j] == '"' {
				if j+1 < len(expr) && expr[j+1] == '"' {
					w.WriteByte('"')
					j++
					continue
				}
				break
			}
			w.WriteByte(expr[j])
		}
		prefix := j+1 < len(expr) && expr[j+1] == '*'
		i = j
		n := -1
		if d := lex.docs[w.String()]; d > 0 && !prefix && !strings.ContainsFunc(w.String(), unicode.IsSpace) && !tagLike(w.String()) {
			n = d
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// tagLike reports whether w could be a word of the tags column ("khotline", "t12",
// "open247"), which the lexicon counts with the rest but a search's words never match.
func tagLike(w string) bool {
	if w == "open247" || w == "kpage" {
		return true
	}
	if rest, ok := strings.CutPrefix(w, "t"); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
		return true
	}
	for _, k := range searchKinds {
		if w == "k"+string(k) {
			return true
		}
	}
	return false
}
