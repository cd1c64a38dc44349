"""Penalty discount offers (скидка на пени / өсімпұл бойынша жеңілдік), finding #36."""
