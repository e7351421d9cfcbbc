-- Nothing is lost: for every landed file, rows landed = rows accepted + rows rejected.
select
    source_file,
    rows_landed,
    rows_accepted,
    rows_rejected
from {{ ref('submission_files') }}
where rows_landed != rows_accepted + rows_rejected
