-- samhallsekonomi_ar.intervall: varde_5_ar = 5 × varde_1_ar, varde_lag_5_ar = 0.5 × varde_5_ar ≤ varde_5_ar ≤
-- varde_hog_5_ar = 1.5 × varde_5_ar (to the öre).
-- The rows that break the rule; none = passed.
select forbund, ar, aktor
from marts.samhallsekonomi_ar
where abs(varde_5_ar - 5 * varde_1_ar) > 0.01
   or abs(varde_lag_5_ar - 0.5 * varde_5_ar) > 0.01
   or abs(varde_hog_5_ar - 1.5 * varde_5_ar) > 0.01
   or not (varde_lag_5_ar <= varde_5_ar and varde_5_ar <= varde_hog_5_ar)
