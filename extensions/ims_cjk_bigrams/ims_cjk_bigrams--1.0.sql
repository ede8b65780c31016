\echo Use "CREATE EXTENSION ims_cjk_bigrams" to load this file. \quit

CREATE FUNCTION cjk_bigram_vector_native(text) RETURNS tsvector
AS 'MODULE_PATHNAME', 'ims_cjk_bigram_vector'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
