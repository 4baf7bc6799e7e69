-- deltagare_kommun_ar.stock_flow: Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) - avslutade(y) = pågående(y).
-- The rows that break the rule; none = passed.
select cur.forbund, cur.kommun, cur.ar
from marts.deltagare_kommun_ar cur
left join marts.deltagare_kommun_ar prev
  on prev.forbund = cur.forbund and prev.kommun = cur.kommun and prev.ar = cur.ar - 1
where cur.pagaende_vid_arets_slut is not null and cur.ar > (select min(ar) from register.ar)
  and coalesce(case when prev.pagaende_vid_arets_slut is not null then prev.pagaende_vid_arets_slut end, 0)
      + cur.nyinskrivna - cur.anonyma - cur.avslutade <> cur.pagaende_vid_arets_slut
