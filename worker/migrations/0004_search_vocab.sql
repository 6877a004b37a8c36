-- How many documents hold each token: lets a query drop the commonest bigrams (costly, nearly uninformative).
CREATE VIRTUAL TABLE search_vocab USING fts5vocab('search_fts', 'row');
