"""Case quizzes: blueprints (quizzes/*.yml) expand into questions drawn from seeded cases,
with every key computed by generator.rules."""
