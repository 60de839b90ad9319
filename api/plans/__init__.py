"""The individual support plan: goals in the person's words, objectives, reviews.

One set of pydantic models (`plan_model`, `review_model`) is shared by the
command line, the API and storage; the rest are pure functions over them
(needs, supports, revisions, due dates, themes, the printable document) and
the edges that store and serve them (`tables`, `store`, `routes`).
"""
