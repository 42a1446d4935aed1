"""The Utilisation page: a heatmap of instructors' or venues' booked days by week."""
