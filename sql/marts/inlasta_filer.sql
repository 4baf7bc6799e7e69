-- marts.inlasta_filer: every input file a build saw, whether it was loaded or rejected, how many rows it gave,
-- and its checksum, so a number can be traced to the exact file it came from.
create or replace table marts.inlasta_filer as
select fil, kalla, status, rader, andrad, sha256, orsak
from staging.filer
order by kalla, fil;
