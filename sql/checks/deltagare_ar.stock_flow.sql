-- deltagare_ar.stock_flow: Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) - avslutade(y) = pågående(y).
-- pågående(y-1) is the mart's where y-1 is counted from registrations too, else the registrations' own (a year
-- from Uppföljning Finsam between two years of registrations); a level with none in y-1 had nobody open.
-- The rows that break the rule; none = passed.
select cur.forbund, cur.insats, cur.ar
from marts.deltagare_ar cur
left join marts.deltagare_ar prev
  on prev.forbund = cur.forbund and prev.insats = cur.insats and prev.ar = cur.ar - 1
left join staging.deltagare_raknat r
  on r.forbund = cur.forbund and r.nyckel = cur.insats and r.niva in ('forbund', 'insats', 'typ')
 and r.ar = cur.ar - 1
where cur.kalla = 'sus' and cur.ar > (select min(ar) from register.ar)
  and coalesce(case when prev.kalla = 'sus' then prev.pagaende_vid_arets_slut end, r.pagaende_vid_arets_slut, 0)
      + cur.nyinskrivna - cur.anonyma - cur.avslutade <> cur.pagaende_vid_arets_slut
