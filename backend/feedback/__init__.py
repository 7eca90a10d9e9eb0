"""Shopper feedback on recommendations: conversion measurement and the popularity signal."""
