-- deltagare_kommun_ar.inom_forbundet: A kommun's deltagare are some of the förbund's: at most its deltagare (and so its registreringar).
-- The rows that break the rule; none = passed.
select k.forbund, k.kommun, k.ar from marts.deltagare_kommun_ar k
join marts.deltagare_ar d on d.forbund = k.forbund and d.ar = k.ar and d.insats = '*'
where k.deltagare > d.deltagare or (k.deltagare is not null and d.kalla is distinct from 'sus')
