\echo Use "CREATE EXTENSION ims_cjk_bigrams" to load this file. \quit

CREATE FUNCTION cjk_bigram_vector_native(text) RETURNS tsvector
AS 'MODULE_PATHNAME', 'ims_cjk_bigram_vector'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION cjk_runs_to_spaces_native(text) RETURNS text
AS 'MODULE_PATHNAME', 'ims_cjk_runs_to_spaces'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
