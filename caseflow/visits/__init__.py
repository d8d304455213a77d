"""Follow-up visits by mentors and community psychologists: plans, visits, visit logs."""
