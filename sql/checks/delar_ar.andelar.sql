-- forvantad_andel of a period before 31 December lies in (0, 1); forbrukad_andel may exceed 1 (more used than the
-- year's budget) but is never negative where incomes or costs meet a positive budget (finansiella_poster is net).
select forbund, ar, period_till, kategori, forvantad_andel, forbrukad_andel
from marts.delar_ar
where not (forvantad_andel > 0 and forvantad_andel < 1)
   or (kategori <> 'finansiella_poster' and budget_helar > 0 and forbrukad_andel < 0)
