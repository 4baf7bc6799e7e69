-- uppfoljning_efter_avslut_ar.ordning: svarande <= tillfragade <= avslutade (where avslutade is known), and the
-- outcome counts add up to svarande (blank outcomes as 0).
-- The rows that break the rule; none = passed.
select forbund, insats, avslutsar, manader
from marts.uppfoljning_efter_avslut_ar
where svarande > tillfragade
   or tillfragade > avslutade
   or coalesce(arbete, 0) + coalesce(studier, 0) + coalesce(arbetssokande, 0) + coalesce(fortsatt_rehabilitering, 0)
      + coalesce(sjukskrivning_ae, 0) + coalesce(forsorjningsstod, 0) + coalesce(annat, 0) <> svarande
