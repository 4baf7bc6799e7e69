-- Each budget line once per version: förbund, year, post, insats, version and decision day (a file with a line twice
-- is rejected, and one version is read from one file, so none should reach the warehouse).
select forbund, ar, version, beslutad, typ, lower(post) as post, insats_nyckel, count(*) as rader
from staging.budget_rader
group by forbund, ar, version, beslutad, typ, lower(post), insats_nyckel
having count(*) > 1
