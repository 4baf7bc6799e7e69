-- deltagare_kommun_ar.stock_flow: Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) - avslutade(y) =
-- pågående(y). pågående(y-1) is the mart's where y-1 is counted from registrations too, else the registrations'
-- own (a year from Uppföljning Finsam between two years of registrations).
-- The rows that break the rule; none = passed.
select cur.forbund, cur.kommun, cur.ar
from marts.deltagare_kommun_ar cur
left join marts.deltagare_kommun_ar prev
  on prev.forbund = cur.forbund and prev.kommun = cur.kommun and prev.ar = cur.ar - 1
left join staging.deltagare_raknat r
  on r.forbund = cur.forbund and r.nyckel = cur.kommun and r.niva = 'kommun' and r.ar = cur.ar - 1
where cur.pagaende_vid_arets_slut is not null and cur.ar > (select min(ar) from register.ar)
  and coalesce(prev.pagaende_vid_arets_slut, r.pagaende_vid_arets_slut, 0)
      + cur.nyinskrivna - cur.anonyma - cur.avslutade <> cur.pagaende_vid_arets_slut
