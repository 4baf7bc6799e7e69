-- finansiering_ar.summa: the shares of a förbund-year add up to 1 (1e-9 for rounding), and each förbund-year takes
-- its amounts from one source. The förbund-years that break it.
select forbund, ar, sum(andel) as summa, count(distinct kalla) as kallor
from marts.finansiering_ar
group by forbund, ar
having abs(sum(andel) - 1) > 1e-9 or count(distinct kalla) <> 1
