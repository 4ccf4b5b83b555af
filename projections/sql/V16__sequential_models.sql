-- The sequential recommender (io.ulm.model.sequential, docs/sequential.md) is a model kind of its own: it is
-- served beside the factorisation recommender (one active model per kind), and the policy chooses per user.
ALTER TABLE model DROP CONSTRAINT model_kind_check;
ALTER TABLE model ADD CONSTRAINT model_kind_check CHECK (kind IN ('recommender', 'churn', 'sequential'));
