\timing on
select count(*) from t where regexp_replace(description, ims.cjk_run_pattern(), ' ', 'g') <> ims.cjk_runs_to_spaces_native(description) or regexp_replace(comments, ims.cjk_run_pattern(), ' ', 'g') <> ims.cjk_runs_to_spaces_native(comments);
select ims.cjk_runs_to_spaces_native('가a나다 b 日本x'), regexp_replace('가a나다 b 日本x', ims.cjk_run_pattern(), ' ', 'g');
select sum(length(ims.text_search_vector(title,'A')||ims.text_search_vector(description,'B')||ims.text_search_vector(comments,'C')||ims.text_search_vector(attachments,'D'))) from t;
select sum(length(ims.text_search_vector3(title,'A')||ims.text_search_vector3(description,'B')||ims.text_search_vector3(comments,'C')||ims.text_search_vector3(attachments,'D'))) from t;
select sum(length(ims.text_search_vector3(title,'A')||ims.text_search_vector3(description,'B')||ims.text_search_vector3(comments,'C')||ims.text_search_vector3(attachments,'D'))) from t;
