-- The ensemble flux-scale correction of each image (issue 15 point 5; science.md "Normalization"): the median
-- ratio measured/baseline over its references, its 1.4826*MAD, the references kept after clipping, and why it
-- failed (fewer than 3 usable references). NULL until the image was normalised or tried.
ALTER TABLE images ADD COLUMN norm_correction DOUBLE PRECISION;
ALTER TABLE images ADD COLUMN norm_correction_rms DOUBLE PRECISION;
ALTER TABLE images ADD COLUMN norm_references INTEGER;
ALTER TABLE images ADD COLUMN norm_error VARCHAR(1000);
