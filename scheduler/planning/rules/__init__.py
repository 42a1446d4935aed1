"""The conflict rules, one module per family.

``event_rules`` look at one event against fixed facts (leave, closures,
holidays, qualifications, sizes); ``overlaps`` find pairs of events that share
a person, room or unit, or leave too little travel time; ``strength``,
``workload`` and ``prerequisites`` look at groups of events of one unit or
instructor.
"""
