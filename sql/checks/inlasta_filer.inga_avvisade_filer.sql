-- inga_avvisade_filer (non-blocking): every input file this build rejected, with the reason; none = passed.
select fil, status, orsak
from marts.inlasta_filer
where status <> 'inlast'
order by fil;
